import { STAFF_ROLES } from '@gmdesk/contracts';
import {
  ALLOW_KEY,
  ChatErrorCode,
  CommonErrorCode,
  isAdmitted,
  PlayerErrorCode,
  PUBLIC_KEY,
  RealmErrorCode,
  ReportErrorCode,
  SanctionErrorCode,
  StaffErrorCode,
  TicketErrorCode,
  type Audience,
  type Principal,
  type UnauthenticatedError,
} from '@gmdesk/core';
import {
  applyDecorators,
  RequestMethod,
  SetMetadata,
  type INestApplication,
  type Type,
} from '@nestjs/common';
import { HTTP_CODE_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import {
  ApiExtraModels,
  ApiHeader,
  DocumentBuilder,
  getSchemaPath,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type ParameterObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { ErrorEnvelopeDto, ValidationProblemDto } from './dto/error.dto';
import { httpStatusFor } from './error-status';

/**
 * Every code a route may name in `@ApiResult({ errors })`: the domain error enums, plus the
 * codes that are plain strings in core. A typo or a code no service throws does not compile.
 */
export type DocumentedErrorCode =
  | ChatErrorCode
  | CommonErrorCode
  | PlayerErrorCode
  | RealmErrorCode
  | ReportErrorCode
  | SanctionErrorCode
  | StaffErrorCode
  | TicketErrorCode
  | 'report_rate_limited'
  | 'report_cooldown'
  | 'too_many_failed_logins';

export interface ApiResultOptions {
  /**
   * The domain errors the service may throw for this route. The codes every route of its kind
   * can get (validation, authentication, the guard's `forbidden`, rate limits, body parsing,
   * idempotency) are added from the route's metadata; the status comes from `httpStatusFor`.
   */
  readonly errors?: readonly DocumentedErrorCode[];
  /** What the success answer means, when more than "OK"/"Created". */
  readonly description?: string;
  /** Success statuses besides the route's own (`@HttpCode`, else 201 for POST and 200 otherwise). */
  readonly otherStatuses?: Readonly<Record<number, string>>;
}

const RESULT_KEY = 'gmdesk:openapi-result';

interface ResultMetadata extends ApiResultOptions {
  readonly model: Type;
  readonly isArray: boolean;
}

/**
 * The success body of a route and the domain errors it may answer with. Who may call the route,
 * the security scheme and the errors common to its kind are documented from the route's own
 * metadata (`@Allow`/`@Public`, parameters, body) by {@link createOpenApiDocument}.
 *
 * ```ts
 * @ApiResult(TicketResponseDto, { errors: [TicketErrorCode.TicketNotFound] })
 * @ApiResult([RealmResponseDto])   // an array of them
 * ```
 */
export function ApiResult(model: Type | [Type], options: ApiResultOptions = {}): MethodDecorator {
  const isArray = Array.isArray(model);
  const type = isArray ? model[0] : model;
  const metadata: ResultMetadata = { ...options, model: type, isArray };
  return applyDecorators(ApiExtraModels(type), SetMetadata(RESULT_KEY, metadata));
}

const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** The optional `Idempotency-Key` header of a create that clients may retry. */
export const ApiIdempotencyKey = (): MethodDecorator & ClassDecorator =>
  ApiHeader({
    name: IDEMPOTENCY_HEADER,
    required: false,
    description:
      '1-255 visible ASCII characters. A retry with the same key and body gets the first ' +
      'answer again (with `Idempotent-Replayed: true`) and never acts twice; the same key ' +
      'with another body is `idempotency_key_reused`.',
    schema: { type: 'string', minLength: 1, maxLength: 255, pattern: '^[\\x21-\\x7e]+$' },
  });

/** Operation ids read well as generated client method names: `ticketsAddMessage`. */
function operationIdFor(controllerName: string, methodName: string): string {
  const base = controllerName.replace(/Controller$/, '');
  return `${base.charAt(0).toLowerCase()}${base.slice(1)}${methodName.charAt(0).toUpperCase()}${methodName.slice(1)}`;
}

/** Who may call a route, as the AuthGuard reads it. */
interface RouteAccess {
  readonly isPublic: boolean;
  readonly audiences: readonly Audience[];
}

interface RouteDocs extends RouteAccess {
  readonly successStatus: number;
  readonly result: ResultMetadata | undefined;
}

/** One sample principal per kind of caller (and per staff role), to ask the guard's own rule. */
const SAMPLE_CALLERS: ReadonlyArray<{ readonly name: string; readonly principal: Principal }> = [
  {
    name: 'player',
    principal: { kind: 'player', accountId: 'a', realmId: 'r', expiresAt: new Date(0) },
  },
  { name: 'game_server', principal: { kind: 'game_server', serverId: 's', realmId: 'r' } },
  ...STAFF_ROLES.map((role) => ({
    name: role,
    principal: { kind: 'staff' as const, staffId: 's', role, realms: [] },
  })),
];

/**
 * Who the guard admits, in words and as a list: `player`, `game_server`, and the lowest staff
 * role admitted (staff roles are minimums). Public routes admit `anyone`.
 */
function describeAccess(access: RouteAccess): {
  readonly allowed: readonly string[];
  readonly sentence: string;
  /** The guard admits every kind of caller, so it never answers `forbidden`. */
  readonly admitsEveryone: boolean;
} {
  if (access.isPublic) {
    return { allowed: ['anyone'], sentence: 'anyone, no credentials needed', admitsEveryone: true };
  }
  const admitted = SAMPLE_CALLERS.filter(({ principal }) =>
    isAdmitted(principal, access.audiences),
  ).map(({ name }) => name);
  const lowestStaffRole = STAFF_ROLES.find((role) => admitted.includes(role));
  const allowed = [
    ...admitted.filter((name) => name === 'player' || name === 'game_server'),
    ...(lowestStaffRole ? [lowestStaffRole] : []),
  ];
  const words = allowed.map((name) =>
    (STAFF_ROLES as readonly string[]).includes(name) ? `staff ≥ ${name}` : name,
  );
  return {
    allowed,
    sentence: words.length > 0 ? words.join(', ') : 'nobody',
    admitsEveryone: admitted.length === SAMPLE_CALLERS.length,
  };
}

function discoverRoutes(app: INestApplication): Map<string, RouteDocs> {
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes = new Map<string, RouteDocs>();
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as Type | null;
    if (!controller) {
      continue;
    }
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) {
        continue;
      }
      // The same lookup as the AuthGuard's getAllAndOverride: the handler first, then the class.
      const read = <T>(key: string): T | undefined =>
        (Reflect.getMetadata(key, handler) as T | undefined) ??
        (Reflect.getMetadata(key, controller) as T | undefined);
      routes.set(operationIdFor(controller.name, name), {
        isPublic: read<boolean>(PUBLIC_KEY) === true,
        audiences: read<Audience[]>(ALLOW_KEY) ?? [],
        successStatus:
          read<number>(HTTP_CODE_METADATA) ?? (method === RequestMethod.POST ? 201 : 200),
        result: read<ResultMetadata>(RESULT_KEY),
      });
    }
  }
  return routes;
}

type UnauthenticatedCode = ConstructorParameters<typeof UnauthenticatedError>[0];

/** What authentication can answer, by the credentials the route's callers send. */
function authenticationErrors(allowed: readonly string[]): UnauthenticatedCode[] {
  const bearer = allowed.some((name) => name !== 'game_server');
  const player = allowed.includes('player');
  const staff = allowed.some((name) => (STAFF_ROLES as readonly string[]).includes(name));
  const apiKey = allowed.includes('game_server');
  return [
    'unauthenticated',
    ...(bearer ? (['token_expired'] as const) : []),
    ...(player ? (['token_lifetime_too_long'] as const) : []),
    ...(staff ? (['account_disabled', 'token_revoked'] as const) : []),
    ...(apiKey ? (['key_revoked'] as const) : []),
  ];
}

const isParameter = (parameter: ParameterObject | ReferenceObject): parameter is ParameterObject =>
  'in' in parameter;

/** The error codes a route can answer with, from its own shape and its declared domain errors. */
function errorCodesOf(
  operation: OperationObject,
  route: RouteDocs,
  access: ReturnType<typeof describeAccess>,
): { codes: string[]; idempotent: boolean } {
  const parameters = (operation.parameters ?? []).filter(isParameter);
  const idempotent = parameters.some(
    (parameter) => parameter.in === 'header' && parameter.name === IDEMPOTENCY_HEADER,
  );
  const codes: string[] = [
    ...(operation.requestBody || parameters.length > 0 ? [CommonErrorCode.ValidationFailed] : []),
    ...(operation.requestBody ? ['malformed_json', 'payload_too_large'] : []),
    ...(route.isPublic ? [] : authenticationErrors(access.allowed)),
    // The guard refuses callers outside the route's audiences.
    ...(access.admitsEveryone ? [] : [CommonErrorCode.Forbidden]),
    ...(idempotent ? [CommonErrorCode.IdempotencyKeyReused] : []),
    ...(route.result?.errors ?? []),
    // Every route is throttled: per caller, or per client IP when anonymous.
    CommonErrorCode.RateLimited,
    'internal',
    // No free database connection in time, or the database restarting: retry after Retry-After.
    'unavailable',
  ];
  return { codes: [...new Set(codes)], idempotent };
}

const ERROR_SCHEMA: ReferenceObject = { $ref: getSchemaPath(ErrorEnvelopeDto) };

function errorResponses(codes: readonly string[]): Record<string, ResponseObject> {
  const byStatus = new Map<number, string[]>();
  for (const code of codes) {
    const status = httpStatusFor(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  const responses: Record<string, ResponseObject> = {};
  for (const [status, statusCodes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const response: ResponseObject = {
      description: `${STATUS_CODES[status] ?? 'Error'}: \`error.code\` is ${statusCodes.map((code) => `\`${code}\``).join(', ')}`,
      ...((status === 429 || status === 503) && {
        headers: {
          'Retry-After': {
            description: 'Seconds to wait before trying again',
            schema: { type: 'integer', minimum: 1 },
          },
        },
      }),
      content: { 'application/json': { schema: ERROR_SCHEMA } },
    };
    responses[String(status)] = Object.assign(response, { 'x-gmdesk-error-codes': statusCodes });
  }
  return responses;
}

function successResponses(
  operation: OperationObject,
  route: RouteDocs,
  idempotent: boolean,
): Record<string, ResponseObject> {
  const existing = Object.entries(operation.responses).filter(([status]) => /^2\d\d$/.test(status));
  const { result } = route;
  if (!result) {
    // Documented by other means (e.g. terminus' @HealthCheck); the e2e test checks it has a schema.
    return Object.fromEntries(existing) as Record<string, ResponseObject>;
  }
  const ref: ReferenceObject = { $ref: getSchemaPath(result.model) };
  const schema: SchemaObject | ReferenceObject = result.isArray
    ? { type: 'array', items: ref }
    : ref;
  const headers = idempotent
    ? {
        'Idempotent-Replayed': {
          description:
            '`true` when this is the stored answer to an earlier request with the same Idempotency-Key',
          schema: { type: 'string', enum: ['true'] },
        },
      }
    : undefined;
  const statuses: Array<[number, string]> = [
    [route.successStatus, result.description ?? STATUS_CODES[route.successStatus] ?? 'Success'],
    ...Object.entries(result.otherStatuses ?? {}).map(([status, description]): [number, string] => [
      Number(status),
      description,
    ]),
  ];
  return Object.fromEntries(
    statuses.map(([status, description]) => [
      String(status),
      { description, ...(headers && { headers }), content: { 'application/json': { schema } } },
    ]),
  );
}

/**
 * Completes each operation from the route metadata the guard and Nest read: the success schema
 * and status, the error responses with their codes, who may call it and the matching security
 * requirement (`bearer` for players and staff, `apiKey` for game servers, none when public).
 */
function describeOperations(document: OpenAPIObject, routes: Map<string, RouteDocs>): void {
  for (const pathItem of Object.values(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = pathItem[method];
      const route = operation?.operationId ? routes.get(operation.operationId) : undefined;
      if (!operation || !route) {
        continue;
      }
      const access = describeAccess(route);
      const { allowed, sentence } = access;
      const { codes, idempotent } = errorCodesOf(operation, route, access);
      const success = successResponses(operation, route, idempotent);
      // Other responses documented by other means (terminus' 503 on health) are kept.
      const others = Object.entries(operation.responses).filter(([status]) => !/^2/.test(status));
      operation.responses = {
        ...Object.fromEntries(others),
        ...success,
        ...errorResponses(codes),
      };
      operation.description = [operation.description, `**Allowed:** ${sentence}.`]
        .filter(Boolean)
        .join('\n\n');
      operation.security = route.isPublic
        ? []
        : [
            ...(allowed.some((name) => name !== 'game_server') ? [{ bearer: [] }] : []),
            ...(allowed.includes('game_server') ? [{ apiKey: [] }] : []),
          ];
      Object.assign(operation, { 'x-gmdesk-allowed': allowed });
    }
  }
}

/** The OpenAPI document of every REST route of the app, completed from the routes' metadata. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('gmdesk')
    .setDescription(
      [
        'Player reports, support tickets and moderation for MMORPGs.',
        'Errors are always `{ "error": { "code", "message", "details" } }` (schema ' +
          '`ErrorEnvelopeDto`); each error response lists its possible codes in its description ' +
          'and in `x-gmdesk-error-codes`.',
        'Each operation says who may call it (**Allowed:** in its description, and ' +
          '`x-gmdesk-allowed`: `player`, `game_server`, the lowest staff role admitted — staff ' +
          'roles are minimums, `agent` < `moderator` < `admin` — or `anyone`).',
      ].join('\n\n'),
    )
    .setVersion('0.1.0')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      description: 'Staff JWT (POST /auth/login) or player token',
    })
    .addApiKey(
      { type: 'apiKey', in: 'header', name: 'Authorization', description: 'ApiKey gmd_…' },
      'apiKey',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationIdFor,
    extraModels: [ErrorEnvelopeDto, ValidationProblemDto],
  });
  describeOperations(document, discoverRoutes(app));
  return document;
}

/** Serves the document at `/docs/openapi.json` and Swagger UI at `/docs` (and `/docs/`). */
export function useOpenApi(app: INestApplication): void {
  // Swagger UI's page for `/docs` links its assets as `./docs/…`, which is wrong from
  // `/docs/index.html`; send that address to `/docs/`, whose page links them as `./…`.
  app
    .getHttpAdapter()
    .get('/docs/index.html', (_request: Request, response: Response) =>
      response.redirect(301, './'),
    );
  SwaggerModule.setup('docs', app, createOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
  });
}
