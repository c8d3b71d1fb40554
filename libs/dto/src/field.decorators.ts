import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotContains,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

/**
 * Composite field decorators: validation, transformation and OpenAPI metadata in one place, so a
 * DTO field cannot be validated one way and documented another.
 */
interface FieldOptions {
  readonly optional?: boolean;
  readonly description?: string;
  readonly example?: unknown;
}

function documented(
  type: unknown,
  options: FieldOptions,
  extra: Record<string, unknown> = {},
): PropertyDecorator {
  const meta = {
    type,
    description: options.description,
    example: options.example,
    ...extra,
  } as Record<string, unknown>;
  return options.optional ? ApiPropertyOptional(meta) : ApiProperty(meta);
}

/**
 * Optional means "may be left out", not "may be null": no request field is nullable (AssignTicketDto
 * says so itself), and IsOptional would wave a null through to a NOT NULL column, a 500.
 */
function optionality(options: FieldOptions): PropertyDecorator[] {
  return options.optional ? [ValidateIf((_object, value) => value !== undefined)] : [];
}

/** PostgreSQL text cannot hold U+0000; refused here it is a 400 instead of a failed insert. */
const NUL = '\u0000';

/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Text must be well-formed UTF-16: JSON may carry an unpaired surrogate (`"\ud800"`), which has no
 * UTF-8 form, so PostgreSQL refuses it in jsonb (a 500) or a driver silently replaces it in text.
 * Every text field decorator below applies this, so no field can forget it.
 */
function WellFormedText(options: ValidationOptions = {}): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isWellFormedText',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !LONE_SURROGATE.test(value),
        defaultMessage: () =>
          options.each
            ? 'each value must be valid Unicode text (no unpaired surrogates)'
            : 'must be valid Unicode text (no unpaired surrogates)',
      },
    },
    options,
  );
}

const trim = Transform(({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.trim() : value,
);

export function TextField(
  options: FieldOptions & { max: number; pattern?: RegExp; patternMessage?: string },
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    trim,
    IsString(),
    IsNotEmpty(),
    MaxLength(options.max),
    NotContains(NUL, { message: 'must not contain NUL characters' }),
    WellFormedText(),
    ...(options.pattern ? [Matches(options.pattern, { message: options.patternMessage })] : []),
    documented(String, options, {
      maxLength: options.max,
      ...(options.pattern && { pattern: options.pattern.source }),
    }),
  );
}

/**
 * A password: text taken exactly as typed (not trimmed), held to the same Unicode rules as every
 * other text field (a NUL or a lone surrogate is refused, not hashed).
 */
export function PasswordField(
  options: FieldOptions & { min?: number; max: number },
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsString(),
    IsNotEmpty(),
    ...(options.min !== undefined ? [MinLength(options.min)] : []),
    MaxLength(options.max),
    NotContains(NUL, { message: 'must not contain NUL characters' }),
    WellFormedText(),
    documented(String, options, {
      format: 'password',
      ...(options.min !== undefined && { minLength: options.min }),
      maxLength: options.max,
    }),
  );
}

/** The game's own account id: what the game knows a player by. */
export function AccountIdField(options: FieldOptions = {}): PropertyDecorator {
  return TextField({
    ...options,
    max: 64,
    pattern: /^[A-Za-z0-9_.:@-]{1,64}$/,
    patternMessage: 'must be 1-64 characters of letters, digits and _ . : @ -',
    example: options.example ?? 'player-1042',
  });
}

export function RealmIdField(options: FieldOptions = {}): PropertyDecorator {
  return TextField({
    ...options,
    max: 40,
    pattern: /^[a-z0-9][a-z0-9-]{0,39}$/,
    patternMessage: 'must be lowercase letters, digits and dashes, starting with a letter or digit',
    example: options.example ?? 'eu-west-1',
  });
}

export function EnumField<T extends string>(
  values: readonly T[],
  options: FieldOptions = {},
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsIn(values as T[], { message: `must be one of: ${values.join(', ')}` }),
    documented(String, options, { enum: values }),
  );
}

export function EnumListField<T extends string>(
  values: readonly T[],
  options: FieldOptions & { max: number },
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsArray(),
    ArrayMaxSize(options.max),
    IsIn(values as T[], { each: true, message: `each value must be one of: ${values.join(', ')}` }),
    documented([String], options, { enum: values, maxItems: options.max }),
  );
}

export function TextListField(
  options: FieldOptions & { maxItems: number; maxLength: number; pattern?: RegExp },
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsArray(),
    ArrayMaxSize(options.maxItems),
    IsString({ each: true }),
    IsNotEmpty({ each: true }),
    MaxLength(options.maxLength, { each: true }),
    NotContains(NUL, { each: true, message: 'each value must not contain NUL characters' }),
    WellFormedText({ each: true }),
    ...(options.pattern ? [Matches(options.pattern, { each: true })] : []),
    documented([String], options, { maxItems: options.maxItems }),
  );
}

/** An ISO 8601 timestamp with a time zone, e.g. 2026-11-24T19:30:00Z. */
export function TimestampField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsISO8601(
      { strict: true, strictSeparator: true },
      { message: 'must be an ISO 8601 timestamp' },
    ),
    // IsISO8601 also takes dates and local times ("2026-11-24T19:30:00"), which would be read in
    // the server's time zone: require a time with Z or an offset.
    Matches(/T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)$/i, {
      message: 'must be a date and time with Z or a UTC offset',
    }),
    documented(String, { example: '2026-11-24T19:30:00Z', ...options }, { format: 'date-time' }),
  );
}

export function UuidField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    IsUUID('all'),
    documented(String, options, { format: 'uuid' }),
  );
}

export function NumberField(
  options: FieldOptions & { min: number; max: number; integer?: boolean },
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    options.integer ? IsInt() : IsNumber({ allowNaN: false, allowInfinity: false }),
    Min(options.min),
    Max(options.max),
    documented(options.integer ? 'integer' : Number, options, {
      minimum: options.min,
      maximum: options.max,
    }),
  );
}

export function BooleanField(options: FieldOptions = {}): PropertyDecorator {
  return applyDecorators(...optionality(options), IsBoolean(), documented(Boolean, options));
}

/** What an array sent for a nested object becomes before validation (see NestedField). */
const NOT_AN_OBJECT = 'an array';

export function NestedField(
  type: () => new () => object,
  options: FieldOptions = {},
): PropertyDecorator {
  return applyDecorators(
    ...optionality(options),
    // ValidateNested alone accepts an array (of anything valid, even none) in place of the object.
    IsObject({ message: 'must be an object' }),
    ValidateNested({ message: 'must be an object' }),
    Type(type),
    // ValidateNested would also validate every item of an array sent in its place, one error per
    // item (20,000 items cost half a second): an array is replaced by a value that fails once.
    Transform(({ value }: { value: unknown }) => (Array.isArray(value) ? NOT_AN_OBJECT : value), {
      toClassOnly: true,
    }),
    // Swagger resolves a lazy type only when the function is named "type", as in
    // `{ type: () => Dto }`; the bare thunk passed in is anonymous and became `$ref: '#/components/schemas/'`.
    documented({ type: () => type() }.type, options),
  );
}

/** Page size for listings (query string). */
export function LimitField(): PropertyDecorator {
  return applyDecorators(
    ...optionality({ optional: true }),
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
    ),
    IsInt(),
    Min(1),
    Max(100),
    ApiPropertyOptional({ type: Number, minimum: 1, maximum: 100, default: 25 }),
  );
}

export function CursorField(): PropertyDecorator {
  return applyDecorators(
    ...optionality({ optional: true }),
    IsString(),
    MaxLength(512),
    NotContains(NUL, { message: 'must not contain NUL characters' }),
    WellFormedText(),
    ApiPropertyOptional({ type: String, description: 'nextCursor of the previous page' }),
  );
}
