import { CommonError } from '@gmdesk/core';
import type { ArgumentMetadata } from '@nestjs/common';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { TextField, TextListField } from './field.decorators';
import {
  DEFAULT_PAYLOAD_BYTES,
  PayloadBudget,
  PayloadTooLargeError,
  ShallowPayload,
} from './payload-guard';
import {
  createValidationPipe,
  flattenValidationErrors,
  MAX_REPORTED_PROBLEMS,
  VALIDATION_OPTIONS,
} from './validation';

class LocationDto {
  @IsString()
  @MaxLength(10)
  zone!: string;
}

class LineDto {
  @IsString()
  @MaxLength(5)
  body!: string;
}

class BatchDto {
  @IsInt()
  batchId!: number;

  @IsOptional()
  @ValidateNested()
  @Type(() => LocationDto)
  location?: LocationDto;

  @IsOptional()
  @ValidateNested({ each: true })
  @Type(() => LineDto)
  lines?: LineDto[];

  @IsOptional()
  @IsString({ each: true })
  tags?: string[];
}

/** Runs class-validator the way the global pipe does, so the tree has its real shape. */
function errorsFor(plain: object): ValidationError[] {
  return validateSync(plainToInstance(BatchDto, plain), {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
}

describe('flattenValidationErrors', () => {
  const sut = flattenValidationErrors;

  it('names a top-level field by its property', () => {
    expect(sut(errorsFor({ batchId: 'seven' }))).toEqual([
      { field: 'batchId', problem: 'must be an integer number' },
    ]);
  });

  it('names a field of a nested object with a dotted path', () => {
    expect(sut(errorsFor({ batchId: 1, location: { zone: 'far too long a zone' } }))).toEqual([
      { field: 'location.zone', problem: 'must be shorter than or equal to 10 characters' },
    ]);
  });

  it('names a field of an array item with its index', () => {
    const lines = [{ body: 'ok' }, { body: 'ok' }, { body: 'ok' }, { body: 'much too long' }];

    expect(sut(errorsFor({ batchId: 1, lines }))).toEqual([
      { field: 'lines[3].body', problem: 'must be shorter than or equal to 5 characters' },
    ]);
  });

  it('reports every bad item of an array, each under its own index', () => {
    const lines = [{ body: 'much too long' }, { body: 'ok' }, { body: 42 }];

    expect(sut(errorsFor({ batchId: 1, lines })).map((p) => p.field)).toEqual([
      'lines[0].body',
      'lines[2].body',
      'lines[2].body',
    ]);
  });

  it('names an unknown field where it was sent, nested ones included', () => {
    const problems = sut(errorsFor({ batchId: 1, extra: true, location: { zone: 'z', x: 1 } }));

    expect(problems).toEqual(
      expect.arrayContaining([
        { field: 'extra', problem: 'property extra should not exist' },
        { field: 'location.x', problem: 'property x should not exist' },
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('keeps a problem about every item of a list on the list itself', () => {
    expect(sut(errorsFor({ batchId: 1, tags: ['a', 3] }))).toEqual([
      { field: 'tags', problem: 'each value in tags must be a string' },
    ]);
  });

  it('reports a nested object sent as a scalar on the object field', () => {
    const problems = sut(errorsFor({ batchId: 1, location: 'harbour' }));

    expect(problems.map((p) => p.field)).toEqual(['location']);
  });

  it('lists the problems of several fields together', () => {
    const problems = sut(errorsFor({ batchId: 'x', location: { zone: 7 } }));

    expect(problems.map((p) => p.field).sort()).toEqual([
      'batchId',
      'location.zone',
      'location.zone',
    ]);
  });

  it('returns nothing for a valid body', () => {
    expect(
      sut(errorsFor({ batchId: 1, location: { zone: 'z' }, lines: [{ body: 'hi' }] })),
    ).toEqual([]);
  });

  it('walks deeper trees built by hand, indexes inside indexes included', () => {
    const tree = [
      {
        property: 'groups',
        children: [
          {
            property: '2',
            children: [
              {
                property: 'members',
                children: [
                  {
                    property: '0',
                    children: [
                      { property: 'name', constraints: { isString: 'name must be a string' } },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ] as ValidationError[];

    expect(sut(tree)).toEqual([
      { field: 'groups[2].members[0].name', problem: 'must be a string' },
    ]);
  });

  it('keeps a message that does not start with the property name as it is', () => {
    const tree = [
      { property: 'body', constraints: { custom: 'bodyText is wrong' } },
    ] as ValidationError[];

    expect(sut(tree)).toEqual([{ field: 'body', problem: 'bodyText is wrong' }]);
  });
});

describe('VALIDATION_OPTIONS.exceptionFactory', () => {
  const sut = (errors: ValidationError[]): unknown => VALIDATION_OPTIONS.exceptionFactory!(errors);

  it('raises validation_failed with every problem in the details', () => {
    const lines = [{ body: 'x' }, { body: 'too long!' }];

    const error = sut(errorsFor({ batchId: 'x', lines }));

    expect(error).toBeInstanceOf(CommonError);
    expect(error).toMatchObject({
      code: 'validation_failed',
      details: [
        { field: 'batchId', problem: 'must be an integer number' },
        { field: 'lines[1].body', problem: 'must be shorter than or equal to 5 characters' },
      ],
    });
  });

  it('summarises at most three problems in the message', () => {
    const lines = ['1', '2', '3', '4', '5'].map(() => ({ body: 'far too long' }));

    const error = sut(errorsFor({ batchId: 1, lines })) as CommonError;

    expect(error.details).toHaveLength(5);
    expect(error.message).toContain('lines[2].body');
    expect(error.message).not.toContain('lines[3].body');
  });
});

describe('bounded validation errors', () => {
  const sut = (errors: ValidationError[]): CommonError =>
    VALIDATION_OPTIONS.exceptionFactory!(errors) as CommonError;

  it('lists at most 20 problems and ends a cut list with a truncated entry', () => {
    const lines = Array.from({ length: 500 }, () => ({ body: 'far too long' }));

    const error = sut(errorsFor({ batchId: 1, lines }));

    const details = error.details as Array<{ field: string; truncated?: boolean }>;
    expect(details).toHaveLength(MAX_REPORTED_PROBLEMS + 1);
    expect(details.slice(0, MAX_REPORTED_PROBLEMS).every((d) => d.truncated === undefined)).toBe(
      true,
    );
    expect(details.at(-1)).toMatchObject({ field: '', truncated: true });
    expect(details[19].field).toBe('lines[19].body');
  });

  it('lists every problem, without a truncated entry, when there are 20 or fewer', () => {
    const lines = Array.from({ length: 20 }, () => ({ body: 'far too long' }));

    const details = sut(errorsFor({ batchId: 1, lines })).details as Array<{
      truncated?: boolean;
    }>;

    expect(details).toHaveLength(20);
    expect(details.some((d) => d.truncated)).toBe(false);
  });

  it('cuts a huge unknown key to a bounded length, in the field and in the message', () => {
    const key = 'k'.repeat(60_000);

    const error = sut(errorsFor({ batchId: 1, [key]: 1 }));

    expect(JSON.stringify(error.details).length).toBeLessThan(1_000);
    expect(error.message.length).toBeLessThan(2_000);
  });
});

describe('createValidationPipe', () => {
  const sut = createValidationPipe();
  const body = (metatype: unknown): ArgumentMetadata => ({
    type: 'body',
    metatype: metatype as ArgumentMetadata['metatype'],
  });

  async function errorOf(value: unknown, metatype: unknown = BatchDto): Promise<unknown> {
    try {
      await sut.transform(value, body(metatype));
    } catch (error) {
      return error;
    }
    throw new Error('expected the pipe to refuse the value');
  }

  it('refuses an array longer than 1,000 items anywhere in the payload before transforming it', async () => {
    const error = await errorOf({ batchId: 1, tags: new Array<string>(1001).fill('a') });

    expect(error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: 'tags', problem: 'must have at most 1000 items' }],
    });
  });

  it('refuses an array in place of a DTO object with one problem, before any item is validated', async () => {
    const error = await errorOf(new Array<number>(10_000).fill(1));

    expect(error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: '', problem: 'must be a JSON object, not an array' }],
    });
  });

  it.each([
    ['a string', 'hello'],
    ['a number', 42],
    ['null', null],
  ])('refuses %s in place of a DTO object', async (_label, value) => {
    expect(await errorOf(value)).toMatchObject({ code: 'validation_failed' });
  });

  it('refuses a payload over the DTO’s byte budget with payload_too_large', async () => {
    const error = await errorOf({ batchId: 1, tags: ['x'.repeat(DEFAULT_PAYLOAD_BYTES)] });

    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(error).toMatchObject({
      code: 'payload_too_large',
      details: { limitBytes: DEFAULT_PAYLOAD_BYTES },
    });
  });

  it('accepts a larger payload for a DTO that declares a larger budget', async () => {
    @PayloadBudget({ bytes: 256 * 1024 })
    class BigDto {
      @IsOptional()
      @IsString({ each: true })
      tags?: string[];
    }

    await expect(
      sut.transform({ tags: ['x'.repeat(100_000)] }, body(BigDto)),
    ).resolves.toBeInstanceOf(BigDto);
  });

  it('refuses a prototype key before class-transformer sees it', async () => {
    const error = await errorOf(JSON.parse('{"batchId":1,"__proto__":{"admin":true}}'));

    expect(error).toMatchObject({
      code: 'validation_failed',
      details: [{ field: '__proto__' }],
    });
  });

  it('leaves primitives of route parameters alone', async () => {
    await expect(
      sut.transform('abc', { type: 'param', metatype: String, data: 'id' }),
    ).resolves.toBe('abc');
  });
});

@ShallowPayload()
@PayloadBudget({ arrayItems: 5000 })
class ShallowBatchDto {
  @TextField({ max: 10 })
  batchId!: string;

  @IsArray()
  @ArrayMaxSize(5000)
  lines!: unknown[];
}

describe('a @ShallowPayload DTO', () => {
  const sut = createValidationPipe();
  const metadata: ArgumentMetadata = { type: 'body', metatype: ShallowBatchDto };

  it('validates its own fields and hands its nested data over as parsed, not copied', async () => {
    const lines = [{ any: 'thing' }, 'even a string', 42];
    const result = (await sut.transform({ batchId: 'b-1', lines }, metadata)) as ShallowBatchDto;
    expect(result).toBeInstanceOf(ShallowBatchDto);
    expect(result.lines).toBe(lines);
    // A second pipe (the gateway's own after the global one) takes the instance as it is.
    expect(await sut.transform(result, metadata)).toBe(result);
  });

  it('refuses unknown fields and bad values of its own, and prototype keys anywhere', async () => {
    await expect(
      sut.transform({ batchId: 'b-1', lines: [], realmId: 'x' }, metadata),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      sut.transform({ batchId: 'much-too-long-id', lines: [] }, metadata),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      sut.transform(JSON.parse('{"batchId":"b","lines":[{"__proto__":{"x":1}}]}'), metadata),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    await expect(
      sut.transform({ batchId: 'b', lines: new Array(5001).fill(1) }, metadata),
    ).rejects.toMatchObject({ code: 'validation_failed' });
  });
});

describe('text fields', () => {
  class TextDto {
    @TextField({ max: 100 })
    name!: string;

    @TextListField({ optional: true, maxItems: 5, maxLength: 20 })
    tags?: string[];
  }
  const sut = createValidationPipe();

  async function problemsOf(value: object): Promise<unknown> {
    try {
      await sut.transform(value, { type: 'body', metatype: TextDto });
    } catch (error) {
      return (error as CommonError).details;
    }
    return [];
  }

  it.each([
    ['a lone high surrogate', 'abc\ud800'],
    ['a lone low surrogate', '\udc00abc'],
    ['two high surrogates', '\ud83d\ud83d'],
  ])('refuses %s', async (_label, name) => {
    expect(await problemsOf({ name })).toEqual([
      { field: 'name', problem: 'must be valid Unicode text (no unpaired surrogates)' },
    ]);
  });

  it('refuses a lone surrogate in an item of a text list', async () => {
    expect(await problemsOf({ name: 'ok', tags: ['fine', 'x\udfff'] })).toEqual([
      { field: 'tags', problem: 'each value must be valid Unicode text (no unpaired surrogates)' },
    ]);
  });

  it('accepts paired surrogates (emoji) and other text', async () => {
    expect(await problemsOf({ name: 'GG 🎮 — Grüße', tags: ['🙂'] })).toEqual([]);
  });
});
