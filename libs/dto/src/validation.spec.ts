import { CommonError } from '@gmdesk/core';
import { plainToInstance, Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
  validateSync,
  type ValidationError,
} from 'class-validator';
import { flattenValidationErrors, VALIDATION_OPTIONS } from './validation';

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
