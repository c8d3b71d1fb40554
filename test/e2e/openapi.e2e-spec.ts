import SwaggerParser from '@apidevtools/swagger-parser';
import { STAFF_ROLES } from '@gmdesk/contracts';
import { ALLOW_KEY, isAdmitted, PUBLIC_KEY, type Audience, type Principal } from '@gmdesk/core';
import { RequestMethod } from '@nestjs/common';
import {
  HTTP_CODE_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  ROUTE_ARGS_METADATA,
} from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { DiscoveryService, MetadataScanner, ModulesContainer } from '@nestjs/core';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Response as HttpResponse, Test } from 'supertest';
import { ApiTestContext } from '../support/api-context';

/** What Nest knows about a route, read the way the router and the AuthGuard read it. */
interface NestRoute {
  /** `GET /tickets/{id}`: the OpenAPI spelling of the route. */
  readonly key: string;
  readonly method: string;
  readonly path: string;
  readonly source: string;
  readonly isPublic: boolean;
  readonly audiences: readonly Audience[];
  readonly successStatus: number;
  readonly pathParams: readonly string[];
  /** Takes a body or a query DTO, so the validation pipe can refuse it. */
  readonly takesInput: boolean;
}

interface Schema {
  readonly $ref?: string;
  readonly type?: string;
  readonly items?: Schema;
  readonly properties?: Record<string, unknown>;
  readonly allOf?: Schema[];
}

interface Response {
  readonly description?: string;
  readonly content?: Record<string, { readonly schema?: Schema }>;
  readonly 'x-gmdesk-error-codes'?: readonly string[];
}

interface Operation {
  readonly operationId?: string;
  readonly description?: string;
  readonly responses: Record<string, Response>;
  readonly security?: ReadonlyArray<Record<string, unknown>>;
  readonly 'x-gmdesk-allowed'?: readonly string[];
}

interface Document {
  readonly paths: Record<string, Record<string, Operation>>;
  readonly components: { readonly schemas: Record<string, Schema> };
}

function toArray(value: unknown): string[] {
  if (value === undefined) {
    return [''];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

function joinPath(...parts: string[]): string {
  const joined = `/${parts.join('/')}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function discoverRoutes(context: ApiTestContext): NestRoute[] {
  const { app } = context.testApp;
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const scanner = new MetadataScanner();
  const routes: NestRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) {
      continue;
    }
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as object;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
        RequestMethod | undefined;
      if (requestMethod === undefined) {
        continue;
      }
      const read = <T>(key: string): T | undefined =>
        (Reflect.getMetadata(key, handler) as T | undefined) ??
        (Reflect.getMetadata(key, controller) as T | undefined);
      const args = Object.keys(
        (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as object,
      ).map((key) => Number(key.split(':')[0]));
      for (const base of toArray(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const own of toArray(Reflect.getMetadata(PATH_METADATA, handler))) {
          const path = joinPath(base, own);
          const method = RequestMethod[requestMethod];
          const openApiPath = path.replace(/:(\w+)/g, '{$1}');
          routes.push({
            key: `${method} ${openApiPath}`,
            method,
            path: openApiPath,
            source: `${controller.name}.${name}`,
            isPublic: read<boolean>(PUBLIC_KEY) === true,
            audiences: read<Audience[]>(ALLOW_KEY) ?? [],
            successStatus: read<number>(HTTP_CODE_METADATA) ?? (method === 'POST' ? 201 : 200),
            pathParams: [...path.matchAll(/:(\w+)/g)].map((match) => match[1]),
            takesInput: args.includes(RouteParamtypes.BODY) || args.includes(RouteParamtypes.QUERY),
          });
        }
      }
    }
  }
  return routes;
}

/** One principal of each kind the guard tells apart. */
const CALLERS: ReadonlyArray<[string, Principal]> = [
  ['player', { kind: 'player', accountId: 'p', realmId: 'r', expiresAt: new Date(0) }],
  ['game_server', { kind: 'game_server', serverId: 's', realmId: 'r' }],
  ...STAFF_ROLES.map((role): [string, Principal] => [
    role,
    { kind: 'staff', staffId: 's', role, realms: [] },
  ]),
];

/** `player`, `game_server`, then the lowest staff role the guard admits (roles are minimums). */
function expectedAllowed(route: NestRoute): string[] {
  if (route.isPublic) {
    return ['anyone'];
  }
  const admitted = CALLERS.filter(([, principal]) => isAdmitted(principal, route.audiences)).map(
    ([name]) => name,
  );
  const lowestRole = STAFF_ROLES.find((role) => admitted.includes(role));
  return [
    ...admitted.filter((name) => name === 'player' || name === 'game_server'),
    ...(lowestRole ? [lowestRole] : []),
  ];
}

/**
 * OpenAPI 3.0 schemas as JSON Schema for Ajv: `nullable` becomes "or null", and objects with
 * declared properties refuse others, so an answer with an undocumented field fails too.
 */
function toJsonSchema(node: unknown): unknown {
  if (Array.isArray(node)) {
    return node.map(toJsonSchema);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const { nullable, ...rest } = node as Record<string, unknown>;
  const schema: Record<string, unknown> = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, toJsonSchema(value)]),
  );
  if (typeof schema['$ref'] === 'string') {
    schema['$ref'] = schema['$ref'].replace('#/components/', 'openapi#/components/');
  }
  if (schema['properties'] && schema['additionalProperties'] === undefined) {
    schema['additionalProperties'] = false;
  }
  return nullable === true ? { anyOf: [{ type: 'null' }, schema] } : schema;
}

const guardCanRefuse = (route: NestRoute): boolean =>
  !route.isPublic && CALLERS.some(([, principal]) => !isAdmitted(principal, route.audiences));

describe('OpenAPI document', () => {
  let sut: ApiTestContext;
  let routes: NestRoute[];
  let document: Document;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    routes = discoverRoutes(sut);
    document = (await sut.http().get('/docs/openapi.json').expect(200)).body as Document;
  });

  afterAll(() => sut.close());

  const operationOf = (route: NestRoute): Operation | undefined =>
    document.paths[route.path]?.[route.method.toLowerCase()];

  /** Runs a check on every route and lists every route that fails it, not just the first. */
  function problemsOf(check: (route: NestRoute, operation: Operation) => string[]): string[] {
    return routes.flatMap((route) => {
      const operation = operationOf(route);
      if (!operation) {
        return [`${route.key} (${route.source}): not in the document`];
      }
      return check(route, operation).map((problem) => `${route.key} (${route.source}): ${problem}`);
    });
  }

  /** The component a schema names, through `$ref` or a one-element `allOf`. */
  function resolve(schema: Schema | undefined): Schema | undefined {
    const ref = schema?.$ref ?? schema?.allOf?.[0]?.$ref;
    return ref ? document.components.schemas[ref.replace('#/components/schemas/', '')] : schema;
  }

  function describesABody(schema: Schema | undefined): boolean {
    const resolved = resolve(schema);
    if (resolved?.type === 'array') {
      return describesABody(resolved.items);
    }
    return Object.keys(resolved?.properties ?? {}).length > 0;
  }

  it('documents every route Nest serves, and no other', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes.length).toBeGreaterThan(30);
    expect(documented.sort()).toEqual(routes.map((route) => route.key).sort());
  });

  it('gives every route a success response with a body schema, under the status it answers with', () => {
    const problems = problemsOf((route, operation) => {
      const successes = Object.entries(operation.responses).filter(([status]) =>
        status.startsWith('2'),
      );
      return [
        ...(operation.responses[String(route.successStatus)]
          ? []
          : [
              `answers ${route.successStatus} but documents ${successes.map(([s]) => s).join(', ') || 'no success'}`,
            ]),
        ...successes
          .filter(([, response]) => !describesABody(response.content?.['application/json']?.schema))
          .map(([status]) => `${status} has no response body schema (add @ApiResult(Dto))`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('documents the errors each route can answer with, in the one error envelope', () => {
    const problems = problemsOf((route, operation) => {
      const codesOf = (status: number): readonly string[] =>
        operation.responses[String(status)]?.['x-gmdesk-error-codes'] ?? [];
      const expected: Array<[number, (codes: readonly string[]) => boolean, string]> = [
        [429, (codes) => codes.includes('rate_limited'), 'rate_limited'],
        [500, (codes) => codes.includes('internal'), 'internal'],
      ];
      if (!route.isPublic) {
        expected.push([401, (codes) => codes.includes('unauthenticated'), 'unauthenticated']);
      }
      if (guardCanRefuse(route)) {
        expected.push([403, (codes) => codes.includes('forbidden'), 'forbidden']);
      }
      if (route.takesInput || route.pathParams.length > 0) {
        expected.push([400, (codes) => codes.includes('validation_failed'), 'validation_failed']);
      }
      if (route.pathParams.length > 0) {
        expected.push([
          404,
          (codes) => codes.some((code) => code.endsWith('_not_found')),
          'a <thing>_not_found code (@ApiResult(Dto, { errors: [...] }))',
        ]);
      }
      const errors = Object.entries(operation.responses).filter(
        ([status]) => status.startsWith('4') || status === '500',
      );
      return [
        ...expected
          .filter(([status, holds]) => !holds(codesOf(status)))
          .map(([status, , what]) => `no ${status} response with ${what}`),
        ...errors
          .filter(
            ([, response]) =>
              response.content?.['application/json']?.schema?.$ref !==
              '#/components/schemas/ErrorEnvelopeDto',
          )
          .map(([status]) => `${status} is not the error envelope`),
        ...errors
          .filter(([, response]) => (response['x-gmdesk-error-codes'] ?? []).length === 0)
          .map(([status]) => `${status} lists no error codes`),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('says who may call each route, from the metadata the AuthGuard reads', () => {
    const problems = problemsOf((route, operation) => {
      const allowed = expectedAllowed(route);
      const security = [
        ...(allowed.some((name) => name !== 'game_server' && name !== 'anyone')
          ? [{ bearer: [] }]
          : []),
        ...(allowed.includes('game_server') ? [{ apiKey: [] }] : []),
      ];
      const actual = operation['x-gmdesk-allowed'];
      return [
        ...(JSON.stringify(actual) === JSON.stringify(allowed)
          ? []
          : [
              `x-gmdesk-allowed is ${JSON.stringify(actual)}, the guard admits ${JSON.stringify(allowed)}`,
            ]),
        ...(operation.description?.includes('**Allowed:**') ? [] : ['no "Allowed:" line']),
        ...(JSON.stringify(operation.security) === JSON.stringify(security)
          ? []
          : [
              `security is ${JSON.stringify(operation.security)}, expected ${JSON.stringify(security)}`,
            ]),
      ];
    });
    expect(problems).toEqual([]);
  });

  it('spells out staff roles as minimums and public routes as open to anyone', () => {
    const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
    const descriptions = operations.map((operation) => operation.description ?? '');
    expect(document.paths['/sanctions/{id}/revoke']?.post?.description).toContain(
      '**Allowed:** staff ≥ moderator.',
    );
    expect(document.paths['/reports/{id}']?.get?.description).toContain(
      '**Allowed:** player, game_server, staff ≥ agent.',
    );
    expect(document.paths['/auth/login']?.post?.security).toEqual([]);
    expect(descriptions.filter((text) => text.includes('anyone')).length).toBeGreaterThan(0);
  });

  it('gives every operation a unique operationId, as client generators need', () => {
    const ids = Object.values(document.paths).flatMap((item) =>
      Object.values(item).map((operation) => operation.operationId),
    );
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][A-Za-z0-9]*$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('is a valid OpenAPI 3 document', async () => {
    // The parser dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(document) as never)).resolves.toBeDefined();
  });

  it('describes the bodies the routes really answer with', async () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'openapi', components: toJsonSchema(document.components) });
    const problems: string[] = [];
    const checked = new Set<string>();

    /** Sends a request and checks its answer against the schema documented for its status. */
    async function call(route: string, request: Test): Promise<HttpResponse> {
      const response = await request;
      const [method, path] = route.split(' ');
      const documented = document.paths[path]?.[method.toLowerCase()]?.responses;
      const schema = documented?.[String(response.status)]?.content?.['application/json']?.schema;
      if (!schema) {
        problems.push(`${route} answered ${response.status}, which is not documented`);
        return response;
      }
      const validate = ajv.compile(toJsonSchema(schema) as object);
      if (!validate(response.body)) {
        problems.push(
          `${route} ${response.status}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(response.body)}`,
        );
      }
      checked.add(`${route} ${response.status}`);
      return response;
    }
    const http = () => sut.http();
    const as = (auth: string) => ({ Authorization: auth });

    const admin = await sut.newStaff('admin');
    const login = await call(
      'POST /auth/login',
      http().post('/auth/login').send({ username: admin.username, password: admin.password }),
    );
    const staffAuth = as(`Bearer ${(login.body as { accessToken: string }).accessToken}`);
    await call('GET /auth/me', http().get('/auth/me').set(staffAuth));
    await call('GET /health/ready', http().get('/health/ready'));

    const realmId = `realm-${randomBytes(4).toString('hex')}`;
    const realm = await call(
      'POST /realms',
      http().post('/realms').set(staffAuth).send({ id: realmId, name: 'Docs realm' }),
    );
    await call(
      'POST /realms',
      http().post('/realms').set(staffAuth).send({ id: realmId, name: 'x' }),
    );
    await call('GET /realms', http().get('/realms').set(staffAuth));
    const server = await call(
      'POST /realms/{realmId}/game-servers',
      http().post(`/realms/${realmId}/game-servers`).set(staffAuth).send({ name: 'shard-a' }),
    );
    await call(
      'GET /realms/{realmId}/game-servers',
      http().get(`/realms/${realmId}/game-servers`).set(staffAuth),
    );
    const serverAuth = as(`ApiKey ${(server.body as { apiKey: string }).apiKey}`);
    const testRealm = {
      id: realmId,
      secret: (realm.body as { playerTokenSecret: string }).playerTokenSecret,
    };
    const player = await sut.newPlayer(testRealm);
    const cheater = await sut.newPlayer(testRealm);
    const playerPath = `/realms/${realmId}/players/${player.accountId}`;
    await call(
      'PUT /realms/{realmId}/players/{accountId}',
      http().put(playerPath).set(serverAuth).send({ displayName: 'Grimbold', language: 'en' }),
    );
    await call(
      'GET /realms/{realmId}/players/{accountId}',
      http().get(playerPath).set(as(player.auth)),
    );
    await call(
      'PUT /realms/{realmId}/players/{accountId}/report-ban',
      http()
        .put(`${playerPath}/report-ban`)
        .set(staffAuth)
        .send({ until: new Date(Date.now() + 60_000).toISOString(), reason: 'Spam reports' }),
    );
    await call(
      'DELETE /realms/{realmId}/players/{accountId}/report-ban',
      http().delete(`${playerPath}/report-ban`).set(staffAuth),
    );

    const report = {
      reportedPlayerId: cheater.accountId,
      category: 'cheating',
      description: 'Flying over the walls',
      occurredAt: new Date().toISOString(),
      location: { zone: 'Ironforge' },
    };
    const filed = await call(
      'POST /reports',
      http().post('/reports').set(as(player.auth)).set('Idempotency-Key', 'docs-1').send(report),
    );
    await call('POST /reports', http().post('/reports').set(as(player.auth)).send(report));
    const reportId = (filed.body as { id: string }).id;
    await call('GET /reports', http().get('/reports').set(as(player.auth)));
    await call('GET /reports', http().get(`/reports?realmId=${realmId}`).set(staffAuth));
    await call('GET /reports/{id}', http().get(`/reports/${reportId}`).set(staffAuth));
    await call('GET /reports/{id}', http().get(`/reports/${reportId}`).set(serverAuth));

    const ticket = await call(
      'POST /tickets',
      http()
        .post('/tickets')
        .set(as(player.auth))
        .send({ category: 'stuck', subject: 'Stuck in a wall', body: 'Near the bank.' }),
    );
    const ticketPath = `/tickets/${(ticket.body as { id: string }).id}`;
    await call('GET /tickets', http().get('/tickets').set(as(player.auth)));
    await call('GET /tickets', http().get('/tickets').set(staffAuth));
    await call(
      'POST /tickets/{id}/messages',
      http().post(`${ticketPath}/messages`).set(staffAuth).send({ body: 'On my way.' }),
    );
    await call(
      'POST /tickets/{id}/messages',
      http().post(`${ticketPath}/messages`).set(as(player.auth)).send({ body: 'Thanks!' }),
    );
    await call(
      'POST /tickets/{id}/assign',
      http().post(`${ticketPath}/assign`).set(staffAuth).send({ assigneeId: admin.id }),
    );
    await call(
      'POST /tickets/{id}/status',
      http().post(`${ticketPath}/status`).set(staffAuth).send({ status: 'pending' }),
    );
    await call(
      'POST /tickets/{id}/status',
      http().post(`${ticketPath}/status`).set(staffAuth).send({ status: 'new' }),
    );
    await call(
      'PATCH /tickets/{id}',
      http()
        .patch(ticketPath)
        .set(staffAuth)
        .send({ tags: ['map'] }),
    );
    await call('GET /tickets/{id}', http().get(ticketPath).set(staffAuth));
    await call('GET /tickets/{id}', http().get(ticketPath).set(as(player.auth)));
    await call('GET /tickets/{id}', http().get(`/tickets/${randomUUID()}`).set(staffAuth));

    const sanction = await call(
      'POST /sanctions',
      http().post('/sanctions').set(staffAuth).send({
        realmId,
        playerId: cheater.accountId,
        type: 'mute',
        publicReason: 'Flying hacks',
        durationMinutes: 60,
      }),
    );
    const sanctionPath = `/sanctions/${(sanction.body as { id: string }).id}`;
    await call('GET /sanctions/{id}', http().get(sanctionPath).set(staffAuth));
    await call('POST /sanctions/{id}/revoke', http().post(`${sanctionPath}/revoke`).set(staffAuth));
    await call('POST /sanctions/{id}/revoke', http().post(`${sanctionPath}/revoke`).set(staffAuth));

    const staff = await call(
      'POST /staff',
      http()
        .post('/staff')
        .set(staffAuth)
        .send({
          username: `gm-${randomBytes(4).toString('hex')}`,
          displayName: 'GM',
          role: 'agent',
          password: 'a-long-password-1',
        }),
    );
    const staffPath = `/staff/${(staff.body as { id: string }).id}`;
    await call('GET /staff', http().get('/staff').set(staffAuth));
    await call('GET /staff/{id}', http().get(staffPath).set(staffAuth));
    await call(
      'PATCH /staff/{id}',
      http()
        .patch(staffPath)
        .set(staffAuth)
        .send({ languages: ['de'] }),
    );
    await call('GET /staff', http().get('/staff').set(as(player.auth)));
    await call('GET /staff', http().get('/staff'));
    await call(
      'POST /game-servers/{id}/revoke',
      http()
        .post(`/game-servers/${(server.body as { id: string }).id}/revoke`)
        .set(staffAuth),
    );
    await call('GET /audit', http().get('/audit').set(staffAuth));
    await call('GET /audit', http().get('/audit?limit=0').set(staffAuth));

    expect(problems).toEqual([]);
    // Each success status, and each kind of error answer, was seen at least once.
    expect([...checked]).toEqual(
      expect.arrayContaining([
        'POST /reports 201',
        'POST /reports 200',
        'POST /realms 409',
        'GET /tickets/{id} 404',
        'POST /tickets/{id}/status 409',
        'POST /sanctions/{id}/revoke 409',
        'GET /staff 403',
        'GET /staff 401',
        'GET /audit 400',
      ]),
    );
  });

  describe('Swagger UI', () => {
    /** GETs a page, following redirects, and returns where it ended and its HTML. */
    async function openPage(path: string): Promise<{ url: URL; html: string }> {
      let url = new URL(path, sut.url);
      for (let hops = 0; hops < 3; hops += 1) {
        const response = await sut.http().get(url.pathname);
        if (response.status >= 300 && response.status < 400) {
          url = new URL(String(response.headers['location']), url);
          continue;
        }
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        return { url, html: response.text };
      }
      throw new Error(`${path}: too many redirects`);
    }

    it.each(['/docs', '/docs/', '/docs/index.html'])(
      'works at %s: the page and every script and stylesheet it links load',
      async (path) => {
        const { url, html } = await openPage(path);
        const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map(
          (match) => new URL(match[1], url).pathname,
        );
        expect(assets).toEqual(
          expect.arrayContaining(['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-init.js']),
        );
        const statuses = await Promise.all(
          assets.map(async (asset) => `${asset} ${(await sut.http().get(asset)).status}`),
        );
        expect(statuses).toEqual(assets.map((asset) => `${asset} 200`));
      },
    );
  });
});
