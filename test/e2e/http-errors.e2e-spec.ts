import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
  type TestStaff,
} from '../support/api-context';

const BODY_LIMIT = 64 * 1024;

interface ErrorEnvelope {
  readonly error: { readonly code: string; readonly message: string; readonly details: unknown };
}

const envelope = (response: Response): ErrorEnvelope => response.body as ErrorEnvelope;

/** The error envelope DESIGN fixes, with a code, a message and a details key. */
function expectEnvelope(response: Response, status: number, code: string): ErrorEnvelope {
  expect({ status: response.status, code: envelope(response).error?.code }).toEqual({
    status,
    code,
  });
  expect(Object.keys(response.body as object)).toEqual(['error']);
  expect(typeof envelope(response).error.message).toBe('string');
  expect(envelope(response).error.message.length).toBeGreaterThan(0);
  expect(Object.keys(envelope(response).error)).toEqual(
    expect.arrayContaining(['code', 'message', 'details']),
  );
  return envelope(response);
}

/** A JSON object whose encoding is exactly `bytes` long: `{"<field>":"xxx…"}`. */
function bodyOfSize(field: string, bytes: number): string {
  const overhead = JSON.stringify({ [field]: '' }).length;
  return JSON.stringify({ [field]: 'x'.repeat(bytes - overhead) });
}

function nestedObjects(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

function nestedArrays(levels: number): string {
  return `${'['.repeat(levels)}1${']'.repeat(levels)}`;
}

describe('HTTP error behaviour', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let player: TestPlayer;
  let gameServer: TestGameServer;
  let agent: TestStaff;
  let admin: TestStaff;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    [player, gameServer, agent, admin] = await Promise.all([
      sut.newPlayer(realm),
      sut.newGameServer(realm),
      sut.newStaff('agent'),
      sut.newStaff('admin'),
    ]);
  });

  afterAll(() => sut.close());

  describe('unknown routes', () => {
    it('answers an unknown path with 404 not_found in the error envelope', async () => {
      const response = await sut.http().get(`/no-such-route/${randomUUID()}`);

      expectEnvelope(response, 404, 'not_found');
    });

    it('answers a known path with a method it does not serve with 404 not_found', async () => {
      const response = await sut.http().delete('/tickets').set('Authorization', agent.auth);

      expectEnvelope(response, 404, 'not_found');
    });
  });

  describe('request bodies', () => {
    it('refuses a JSON body over 64 KiB with 413 payload_too_large', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send(bodyOfSize('body', BODY_LIMIT + 1));

      const { error } = expectEnvelope(response, 413, 'payload_too_large');
      expect(error.details).toEqual({ limitBytes: BODY_LIMIT });
    });

    it('reads a JSON body of exactly 64 KiB, and judges its fields instead', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send(bodyOfSize('body', BODY_LIMIT));

      expectEnvelope(response, 400, 'validation_failed');
    });

    it('refuses a body that is not JSON with 400 malformed_json', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send('{"category": "bug", "subject": ');

      expectEnvelope(response, 400, 'malformed_json');
    });

    it('refuses a top-level JSON scalar with 400 malformed_json', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send('"just a string"');

      expectEnvelope(response, 400, 'malformed_json');
    });

    it('refuses unknown fields with 400 validation_failed naming each one', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .send({ category: 'bug', subject: 'Stuck', body: 'Help', priority: 'urgent', admin: true });

      const { error } = expectEnvelope(response, 400, 'validation_failed');
      const fields = (error.details as Array<{ field: string; problem: string }>).map(
        (d) => d.field,
      );
      expect(fields.sort()).toEqual(['admin', 'priority']);
    });

    it('names an unknown nested field by its full path', async () => {
      const response = await sut
        .http()
        .post('/reports')
        .set('Authorization', player.auth)
        .send({
          reportedPlayerId: 'someone-else',
          category: 'spam',
          description: 'Spamming gold offers',
          occurredAt: new Date().toISOString(),
          location: { zone: 'Harbor', secret: 1 },
        });

      const { error } = expectEnvelope(response, 400, 'validation_failed');
      expect(error.details).toEqual([
        {
          field: 'location.secret',
          problem: expect.stringContaining('should not exist') as string,
        },
      ]);
    });

    it.each([
      ['__proto__', '{"__proto__":{"role":"admin"},"category":"bug","subject":"s","body":"b"}'],
      ['constructor', '{"constructor":{"prototype":{}},"category":"bug","subject":"s","body":"b"}'],
    ])('refuses a %s key like any other unknown field', async (key, body) => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send(body);

      const { error } = expectEnvelope(response, 400, 'validation_failed');
      expect((error.details as Array<{ field: string }>).map((d) => d.field)).toContain(key);
    });

    it('refuses a body nested deeper than any request needs with 400 validation_failed', async () => {
      const response = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .set('Content-Type', 'application/json')
        .send(nestedObjects(100));

      expectEnvelope(response, 400, 'validation_failed');
    });
  });

  describe('request ids', () => {
    const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

    it.each([
      ['a success', (s: ApiTestContext) => s.http().get('/health/live')],
      ['an unknown route', (s: ApiTestContext) => s.http().get('/nowhere')],
      ['an anonymous call', (s: ApiTestContext) => s.http().get('/tickets')],
      ['the OpenAPI document', (s: ApiTestContext) => s.http().get('/docs/openapi.json')],
      [
        'a malformed body',
        (s: ApiTestContext) =>
          s.http().post('/auth/login').set('Content-Type', 'application/json').send('{'),
      ],
      [
        'a body over the limit',
        (s: ApiTestContext) =>
          s
            .http()
            .post('/auth/login')
            .set('Content-Type', 'application/json')
            .send(bodyOfSize('username', BODY_LIMIT + 10)),
      ],
    ])('gives %s an X-Request-Id', async (_label, send) => {
      const response = await send(sut);

      expect(response.headers['x-request-id']).toMatch(REQUEST_ID);
    });

    it('gives every request its own id', async () => {
      const first = await sut.http().get('/health/live');
      const second = await sut.http().get('/health/live');

      expect(first.headers['x-request-id']).not.toBe(second.headers['x-request-id']);
    });

    it('echoes a valid incoming X-Request-Id, on errors too', async () => {
      const id = `trace-${randomUUID()}`;

      const ok = await sut.http().get('/health/live').set('X-Request-Id', id);
      const malformed = await sut
        .http()
        .post('/tickets')
        .set('X-Request-Id', id)
        .set('Content-Type', 'application/json')
        .send('{');

      expect(ok.headers['x-request-id']).toBe(id);
      expect(malformed.headers['x-request-id']).toBe(id);
    });

    it('replaces an incoming X-Request-Id that is not a valid id', async () => {
      const response = await sut
        .http()
        .get('/health/live')
        .set('X-Request-Id', `bad id <script>${'x'.repeat(120)}`);

      expect(response.headers['x-request-id']).toMatch(REQUEST_ID);
      expect(response.headers['x-request-id']).not.toContain('script');
    });
  });

  describe('bad input never produces a 500', () => {
    const HUGE = 'x'.repeat(BODY_LIMIT - 200);
    const WRONG_VALUES: ReadonlyArray<[string, unknown]> = [
      ['null', null],
      ['a number', 12345.678],
      ['a negative number', -1],
      ['a boolean', true],
      ['an empty array', []],
      ['an array of nulls', [null, null]],
      ['an object', { nested: { deeper: null } }],
      ['an empty string', ''],
      ['a string with a NUL byte', 'a\u0000b'],
      ['a lone surrogate', '\ud800'],
      ['a huge string', HUGE],
    ];
    const WRONG_BODIES: ReadonlyArray<[string, string]> = [
      ['an empty array', '[]'],
      ['an array of numbers', '[1,2,3]'],
      ['an array of objects', '[{"category":"bug"}]'],
      ['a number', '42'],
      ['null', 'null'],
      ['an object of nulls', '{"a":null,"b":{"c":null}}'],
      ['deeply nested objects', nestedObjects(10_000)],
      ['deeply nested arrays', nestedArrays(30_000)],
      ['a huge string', bodyOfSize('x', BODY_LIMIT - 1)],
    ];

    interface Target {
      readonly method: 'post' | 'put' | 'patch';
      readonly path: string;
      readonly auth: () => string;
    }

    /** Request body schema properties from the API's own OpenAPI document, one level deep. */
    async function fieldsOf(method: string, path: string): Promise<string[]> {
      const document = (await sut.http().get('/docs/openapi.json').expect(200)).body as {
        paths: Record<
          string,
          Record<
            string,
            { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }
          >
        >;
        components: {
          schemas: Record<
            string,
            { properties?: Record<string, { $ref?: string; allOf?: Array<{ $ref: string }> }> }
          >;
        };
      };
      const schemaName = (ref: string): string => ref.split('/').at(-1) ?? '';
      const ref = document.paths[path][method].requestBody?.content['application/json'].schema.$ref;
      const properties = ref ? (document.components.schemas[schemaName(ref)].properties ?? {}) : {};
      return Object.entries(properties).flatMap(([name, property]) => {
        const nestedRef = property.$ref ?? property.allOf?.[0]?.$ref;
        const nested = nestedRef
          ? Object.keys(document.components.schemas[schemaName(nestedRef)].properties ?? {})
          : [];
        return [name, ...nested.map((child) => `${name}.${child}`)];
      });
    }

    function bodyWith(field: string, value: unknown): Record<string, unknown> {
      const [head, child] = field.split('.');
      return child ? { [head]: { [child]: value } } : { [head]: value };
    }

    it('holds for wrong shapes of every field of the main write routes', async () => {
      const ticket = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .send({ category: 'bug', subject: 'Fell through the map', body: 'Near the bank' })
        .expect(201);
      const ticketId = (ticket.body as { id: string }).id;
      const targets: Target[] = [
        { method: 'post', path: '/reports', auth: () => player.auth },
        { method: 'post', path: '/tickets', auth: () => player.auth },
        { method: 'post', path: `/tickets/${ticketId}/messages`, auth: () => player.auth },
        { method: 'patch', path: `/tickets/${ticketId}`, auth: () => agent.auth },
        { method: 'post', path: `/tickets/${ticketId}/assign`, auth: () => agent.auth },
        { method: 'post', path: `/tickets/${ticketId}/status`, auth: () => agent.auth },
        { method: 'post', path: '/staff', auth: () => admin.auth },
        { method: 'post', path: '/realms', auth: () => admin.auth },
        {
          method: 'put',
          path: `/realms/${realm.id}/players/fuzzed-player`,
          auth: () => gameServer.auth,
        },
      ];
      const crashes: string[] = [];
      let sent = 0;
      for (const target of targets) {
        const template = target.path
          .replace(ticketId, '{id}')
          .replace(
            `/realms/${realm.id}/players/fuzzed-player`,
            '/realms/{realmId}/players/{accountId}',
          );
        const fields = await fieldsOf(target.method, template);
        expect({ route: template, fields: fields.length > 0 }).toEqual({
          route: template,
          fields: true,
        });
        const attempts: Array<[string, string]> = [
          ...WRONG_BODIES,
          ...fields.flatMap((field) =>
            WRONG_VALUES.map(([label, value]): [string, string] => [
              `${field} = ${label}`,
              JSON.stringify(bodyWith(field, value)),
            ]),
          ),
        ];
        for (const [label, body] of attempts) {
          const response = await sut
            .http()
            [target.method](target.path)
            .set('Authorization', target.auth())
            .set('Content-Type', 'application/json')
            .send(body);
          sent += 1;
          if (response.status >= 500) {
            crashes.push(
              `${target.method.toUpperCase()} ${template} with ${label} → ${response.status}`,
            );
          }
        }
      }

      expect(crashes).toEqual([]);
      expect(sent).toBeGreaterThan(100);
    });

    it('holds for a NUL byte in a login username, which PostgreSQL text cannot store', async () => {
      const response = await sut
        .http()
        .post('/auth/login')
        .send({ username: 'admin\u0000', password: 'whatever-password' });

      const { error } = expectEnvelope(response, 400, 'validation_failed');
      expect(error.details).toEqual([
        { field: 'username', problem: 'must not contain NUL characters' },
      ]);
    });

    it('refuses null for an optional field instead of passing it on as a value', async () => {
      const created = await sut
        .http()
        .post('/tickets')
        .set('Authorization', player.auth)
        .send({ category: 'bug', subject: 'Lost my mount', body: 'It vanished' })
        .expect(201);

      const response = await sut
        .http()
        .patch(`/tickets/${(created.body as { id: string }).id}`)
        .set('Authorization', agent.auth)
        .send({ priority: null });

      const { error } = expectEnvelope(response, 400, 'validation_failed');
      expect((error.details as Array<{ field: string }>).map((d) => d.field)).toEqual(['priority']);
    });

    it.each([
      ['/tickets', ['queue', 0, 'not-a-time', 'not-a-uuid']],
      ['/tickets', ['newest', '2026-13-45T99:99:99Z', randomUUID()]],
      ['/reports', ['not-a-time', 'not-a-uuid']],
      ['/reports', ['2026-11-24T19:30:00.000Z', 'not-a-uuid']],
      ['/audit', ['not-a-number']],
      ['/audit', ['99999999999999999999999']],
    ])('holds for a forged cursor on %s', async (path, values) => {
      const cursor = Buffer.from(JSON.stringify(values)).toString('base64url');

      const response = await sut
        .http()
        .get(path)
        .query({ cursor })
        .set('Authorization', admin.auth);

      expectEnvelope(response, 400, 'validation_failed');
    });
  });
});

describe('rate limits', () => {
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start({ rateLimitPerMinute: 5 });
  });

  afterAll(() => sut.close());

  async function spend(auth: string, requests: number, path = '/auth/me'): Promise<void> {
    for (let i = 0; i < requests; i += 1) {
      await sut.http().get(path).set('Authorization', auth).expect(200);
    }
  }

  it('answers a caller over their limit 429 rate_limited with Retry-After, per principal', async () => {
    const [busy, other] = await Promise.all([sut.newStaff('agent'), sut.newStaff('agent')]);
    await spend(busy.auth, 5);

    const limited = await sut.http().get('/auth/me').set('Authorization', busy.auth);
    const served = await sut.http().get('/auth/me').set('Authorization', other.auth);

    expectEnvelope(limited, 429, 'rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(served.status).toBe(200);
  });

  it('counts a caller’s requests to every route against one budget', async () => {
    const busy = await sut.newStaff('agent');
    await spend(busy.auth, 2, '/auth/me');
    await spend(busy.auth, 2, '/realms');
    await spend(busy.auth, 1, '/tickets');

    const limited = await sut.http().get('/reports').set('Authorization', busy.auth);

    expectEnvelope(limited, 429, 'rate_limited');
  });

  it('limits login per client IP to 10 a minute, whatever the username', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const response = await sut
        .http()
        .post('/auth/login')
        .send({ username: `nobody-${i}`, password: 'wrong-password-123' });
      statuses.push(response.status);
    }

    const eleventh = await sut
      .http()
      .post('/auth/login')
      .send({ username: 'nobody-else', password: 'wrong-password-123' });

    expect(statuses).toEqual(Array.from({ length: 10 }, () => 401));
    expectEnvelope(eleventh, 429, 'rate_limited');
    expect(Number(eleventh.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});
