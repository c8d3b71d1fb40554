// Loading the apps registers every request DTO of both transports with class-validator.
import '@gmdesk/api';
import { EnvironmentVariables } from '@gmdesk/config';
import '@gmdesk/gateway';
import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validate, type ValidationError } from 'class-validator';

interface FieldRule {
  readonly type: string;
  readonly name?: string;
  readonly propertyName: string;
  readonly each: boolean;
}

/** Fields that take null on purpose, each saying so in its own DTO and documentation. */
const NULLABLE = new Set(['AssignTicketDto.assigneeId']);

/**
 * Every class with validation rules, and its fields, read from class-validator's own registry:
 * a DTO added later is covered without touching this test. The registry is private API, so the
 * test first checks that it found the DTOs it knows.
 */
function requestDtos(): Map<string, { type: new () => object; fields: FieldRule[] }> {
  const registry = (
    getMetadataStorage() as unknown as { validationMetadatas: Map<unknown, FieldRule[]> }
  ).validationMetadatas;
  const dtos = new Map<string, { type: new () => object; fields: FieldRule[] }>();
  for (const [target, fields] of registry) {
    // The environment, not a request: its optional settings are read by another validator.
    if (typeof target !== 'function' || target === EnvironmentVariables) {
      continue;
    }
    dtos.set(target.name, { type: target as new () => object, fields });
  }
  return dtos;
}

const DTOS = requestDtos();

const rows = (pick: (field: FieldRule) => boolean): Array<[string, string]> =>
  [...DTOS].flatMap(([dto, { fields }]) =>
    [...new Set(fields.filter(pick).map((field) => `${dto}.${field.propertyName}`))].map(
      (row): [string, string] => [row, dto],
    ),
  );

async function problemsOf(dto: string, body: Record<string, unknown>): Promise<ValidationError[]> {
  const found = DTOS.get(dto);
  if (!found) {
    throw new Error(`no DTO ${dto}`);
  }
  return validate(plainToInstance(found.type, body), {
    whitelist: true,
    forbidNonWhitelisted: true,
  });
}

describe('request DTOs of the api and the gateway', () => {
  it('are all found in class-validator’s registry', () => {
    expect([...DTOS.keys()]).toEqual(
      expect.arrayContaining([
        'CreateStaffDto',
        'UpdateStaffDto',
        'LoginDto',
        'IssueSanctionDto',
        'TicketFieldsDto',
        'ReportLocationDto',
        'QueueWatchPayloadDto',
        'ListTicketsQueryDto',
      ]),
    );
  });

  it.each(rows(() => true).filter(([row]) => !NULLABLE.has(row)))(
    'refuse null for %s (optional means "may be left out", never "may be null")',
    async (row, dto) => {
      const field = row.slice(dto.length + 1);

      const problems = await problemsOf(dto, { [field]: null });

      expect(problems.map((problem) => problem.property)).toContain(field);
    },
  );

  it.each(
    rows((field) => field.name === 'isString').map(([row, dto]) => {
      const each = DTOS.get(dto)?.fields.find(
        (field) => `${dto}.${field.propertyName}` === row && field.name === 'isString',
      )?.each;
      return [row, dto, each === true] as const;
    }),
  )(
    'refuse NUL and lone surrogates in the text field %s, like every text field',
    async (row, dto, each) => {
      const field = row.slice(dto.length + 1);
      for (const text of ['pass\u0000word-long-enough', 'pass\ud800word-long-enough']) {
        const problems = await problemsOf(dto, { [field]: each ? [text] : text });

        expect(problems.map((problem) => problem.property)).toContain(field);
      }
    },
  );
});
