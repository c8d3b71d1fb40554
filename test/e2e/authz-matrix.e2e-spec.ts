import { CLIENT_EVENTS } from '@gmdesk/contracts';
import { ALLOW_KEY, PUBLIC_KEY, type Audience } from '@gmdesk/core';
import { connectSocket, emitAck, expectConnectError } from '@gmdesk/testing';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
} from '../support/api-context';

/**
 * The reviewed authorization policy, written out by hand: who may call each route at all.
 * It is deliberately NOT derived from the @Allow metadata the guard reads, so a wrong @Allow
 * (making revoke a sanction an agent's right, say) fails here. Changing a row is a security
 * review; a new route without a row fails the first test.
 */
type Caller = 'player' | 'game_server' | 'agent' | 'moderator' | 'admin';
const STAFF: readonly Caller[] = ['agent', 'moderator', 'admin'];
const MODERATORS: readonly Caller[] = ['moderator', 'admin'];
const ADMINS: readonly Caller[] = ['admin'];

const POLICY: Readonly<Record<string, 'public' | readonly Caller[]>> = {
  'POST /auth/login': 'public',
  'POST /auth/logout': STAFF,
  'POST /auth/refresh': 'public',
  'GET /auth/me': STAFF,
  'GET /health/live': 'public',
  'GET /health/ready': 'public',

  'POST /realms': ADMINS,
  'GET /realms': STAFF,
  'POST /realms/:realmId/game-servers': ADMINS,
  'GET /realms/:realmId/game-servers': ADMINS,
  'POST /realms/:realmId/player-token-secret/rotate': ADMINS,
  'POST /game-servers/:id/revoke': ADMINS,

  'GET /players': STAFF,
  'PUT /realms/:realmId/players/:accountId': ['game_server'],
  'GET /realms/:realmId/players/:accountId': ['player', 'game_server', ...STAFF],
  'PUT /realms/:realmId/players/:accountId/report-ban': MODERATORS,
  'DELETE /realms/:realmId/players/:accountId/report-ban': MODERATORS,

  'POST /chat/batches': ['game_server'],
  'GET /chat/messages': STAFF,
  'GET /chat/messages/context': STAFF,
  'GET /chat/conversation': STAFF,

  'POST /reports': ['player', 'game_server'],
  'GET /reports': ['player', ...STAFF],
  'GET /reports/:id': ['player', 'game_server', ...STAFF],
  'GET /reports/:id/evidence': STAFF,

  'POST /tickets': ['player'],
  'GET /tickets': ['player', ...STAFF],
  'GET /tickets/:id': ['player', ...STAFF],
  'POST /tickets/:id/messages': ['player', ...STAFF],
  'POST /tickets/:id/assign': STAFF,
  'POST /tickets/:id/status': STAFF,
  'PATCH /tickets/:id': STAFF,

  'POST /sanctions': MODERATORS,
  'GET /sanctions': STAFF,
  'GET /sanctions/:id': STAFF,
  'POST /sanctions/:id/revoke': MODERATORS,
  'GET /realms/:realmId/sanctions/active': ['game_server', ...STAFF],

  'POST /staff': ADMINS,
  'GET /staff': ADMINS,
  'GET /staff/directory': STAFF,
  'GET /staff/:id': ADMINS,
  'PATCH /staff/:id': ADMINS,

  'GET /audit': ADMINS,

  'GET /stats/backlog': STAFF,
  'GET /stats/intake': STAFF,
  'GET /stats/response-times': STAFF,
};

/** Socket namespaces: who may connect, and every client event each one accepts. */
const SOCKET_POLICY: Readonly<
  Record<'/player' | '/staff' | '/game', { callers: readonly Caller[]; events: readonly string[] }>
> = {
  '/player': {
    callers: ['player'],
    events: ['resume', 'report.create', 'ticket.create', 'ticket.message', 'typing'],
  },
  '/staff': {
    callers: STAFF,
    events: ['resume', 'queue.watch', 'ticket.watch', 'ticket.unwatch', 'typing'],
  },
  '/game': {
    callers: ['game_server'],
    events: ['resume', 'player.session', 'report.create', 'sanction.ack', 'chat.batch'],
  },
};

const CALLERS: readonly Caller[] = ['player', 'game_server', 'agent', 'moderator', 'admin'];

interface DiscoveredRoute {
  readonly key: string;
  readonly method: string;
  readonly path: string;
  /** `Controller.handler`, to name the route in failures. */
  readonly source: string;
  readonly isPublic: boolean;
  readonly audiences: readonly Audience[] | undefined;
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

/** Every REST handler Nest knows, found the way Nest finds them. */
function discoverRoutes(context: ApiTestContext): DiscoveredRoute[] {
  const { app } = context.testApp;
  const discovery = new DiscoveryService(app.get(ModulesContainer));
  const reflector = app.get(Reflector);
  const scanner = new MetadataScanner();
  const routes: DiscoveredRoute[] = [];
  for (const wrapper of discovery.getControllers()) {
    const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
    if (!controller) {
      continue;
    }
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of scanner.getAllMethodNames(prototype)) {
      const handler = prototype[name] as (...args: unknown[]) => unknown;
      const requestMethod = Reflect.getMetadata(METHOD_METADATA, handler) as
        RequestMethod | undefined;
      if (requestMethod === undefined) {
        continue;
      }
      const targets = [handler, controller];
      for (const base of toArray(Reflect.getMetadata(PATH_METADATA, controller))) {
        for (const own of toArray(Reflect.getMetadata(PATH_METADATA, handler))) {
          const method = RequestMethod[requestMethod];
          const path = joinPath(base, own);
          routes.push({
            key: `${method} ${path}`,
            method,
            path,
            source: `${controller.name}.${name}`,
            isPublic:
              reflector.getAllAndOverride<boolean | undefined>(PUBLIC_KEY, targets) === true,
            audiences: reflector.getAllAndOverride<Audience[] | undefined>(ALLOW_KEY, targets),
          });
        }
      }
    }
  }
  return routes;
}

interface RouterLayer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
}

/** What Express 5 actually serves; Nest mounts middleware for every method, endpoints for one. */
function mountedEndpoints(context: ApiTestContext): string[] {
  const express = context.testApp.app.getHttpAdapter().getInstance() as {
    router: { stack: RouterLayer[] };
  };
  return express.router.stack.flatMap((layer) => {
    const methods = Object.keys(layer.route?.methods ?? {}).filter((m) => m !== '_all');
    return layer.route && methods.length === 1 && typeof layer.route.path === 'string'
      ? [`${methods[0].toUpperCase()} ${layer.route.path}`]
      : [];
  });
}

const errorCode = (response: Response): unknown =>
  (response.body as { error?: { code?: unknown } }).error?.code;

const describeRoute = (route: DiscoveredRoute): string => `${route.key} (${route.source})`;

/** Routes that end the caller's own session: called with a throwaway session of the same role. */
const ENDS_OWN_SESSION: readonly string[] = ['POST /auth/logout'];

/** Fixtures of realm A that the realm probes point at; outsiders belong to realm B. */
interface Fixtures {
  readonly realmA: TestRealm;
  readonly realmB: TestRealm;
  readonly serverA: TestGameServer;
  readonly playerA: TestPlayer;
  readonly ticketA: string;
  readonly reportA: string;
  readonly offenderA: string;
  /** A staff member who works in realm A only. */
  readonly staffA: string;
  newSanctionA(): Promise<string>;
  newServerA(): Promise<string>;
  /** A realm of its own, for probes that would disturb realm A (rotating its secret). */
  newRealm(): Promise<TestRealm>;
}

type Insider = 'player' | 'game_server' | 'agent' | 'moderator' | 'admin';
type Outsider = 'player_b' | 'server_b' | 'agent_b' | 'moderator_b' | 'admin_b';
const OUTSIDER_KIND: Record<Outsider, Caller> = {
  player_b: 'player',
  server_b: 'game_server',
  agent_b: 'agent',
  moderator_b: 'moderator',
  admin_b: 'admin',
};

/**
 * A request on a resource of realm A. The insider (of realm A, or unrestricted staff) must
 * succeed, which proves the probe reaches the resource; every outsider the policy admits (a
 * player, server or realm-restricted staff member of realm B) must get `outsiderStatus` for a
 * single resource, or for a listing, a page without realm A's item.
 */
interface ProbeRequest {
  readonly path: string;
  readonly body?: object;
}

interface RealmProbe {
  readonly route: string;
  readonly insider: Insider;
  request(f: Fixtures): ProbeRequest | Promise<ProbeRequest>;
  /** A listing: the id that must show for the insider and never for an outsider. */
  readonly lists?: (f: Fixtures) => string;
  readonly outsiderStatus?: number;
}

const REALM_PROBES: readonly RealmProbe[] = [
  {
    route: 'GET /realms/:realmId/players/:accountId',
    insider: 'agent',
    request: (f) => ({ path: `/realms/${f.realmA.id}/players/${f.offenderA}` }),
  },
  {
    route: 'PUT /realms/:realmId/players/:accountId',
    insider: 'game_server',
    request: (f) => ({
      path: `/realms/${f.realmA.id}/players/${f.offenderA}`,
      body: { displayName: 'Renamed' },
    }),
  },
  {
    route: 'PUT /realms/:realmId/players/:accountId/report-ban',
    insider: 'moderator',
    request: (f) => ({
      path: `/realms/${f.realmA.id}/players/${f.playerA.accountId}/report-ban`,
      body: { until: new Date(Date.now() + 3600_000).toISOString(), reason: 'Abuse' },
    }),
  },
  {
    route: 'DELETE /realms/:realmId/players/:accountId/report-ban',
    insider: 'moderator',
    request: (f) => ({
      path: `/realms/${f.realmA.id}/players/${f.playerA.accountId}/report-ban`,
    }),
  },
  {
    route: 'POST /sanctions',
    insider: 'moderator',
    request: (f) => ({
      path: '/sanctions',
      body: { realmId: f.realmA.id, playerId: f.offenderA, type: 'warn', publicReason: 'Spam' },
    }),
  },
  {
    route: 'GET /sanctions/:id',
    insider: 'agent',
    request: async (f) => ({ path: `/sanctions/${await f.newSanctionA()}` }),
  },
  {
    route: 'POST /sanctions/:id/revoke',
    insider: 'moderator',
    request: async (f) => ({
      path: `/sanctions/${await f.newSanctionA()}/revoke`,
      body: { reason: 'Issued by mistake' },
    }),
  },
  {
    route: 'GET /sanctions',
    insider: 'agent',
    request: () => ({ path: '/sanctions?limit=100' }),
    // Every item names its realm; realm A's sanctions were issued by the probes above.
    lists: (f) => f.realmA.id,
  },
  {
    route: 'GET /realms/:realmId/sanctions/active',
    insider: 'game_server',
    request: (f) => ({ path: `/realms/${f.realmA.id}/sanctions/active` }),
  },
  {
    route: 'GET /reports/:id',
    insider: 'agent',
    request: (f) => ({ path: `/reports/${f.reportA}` }),
  },
  {
    route: 'GET /reports/:id/evidence',
    insider: 'agent',
    request: (f) => ({ path: `/reports/${f.reportA}/evidence` }),
  },
  {
    route: 'GET /reports',
    insider: 'agent',
    request: () => ({ path: '/reports?limit=100' }),
    lists: (f) => f.reportA,
  },
  {
    route: 'GET /tickets/:id',
    insider: 'agent',
    request: (f) => ({ path: `/tickets/${f.ticketA}` }),
  },
  {
    route: 'GET /tickets',
    insider: 'agent',
    request: () => ({ path: '/tickets?limit=100' }),
    lists: (f) => f.ticketA,
  },
  {
    route: 'POST /tickets/:id/messages',
    insider: 'agent',
    request: (f) => ({ path: `/tickets/${f.ticketA}/messages`, body: { body: 'Hello' } }),
  },
  {
    route: 'POST /tickets/:id/status',
    insider: 'agent',
    request: (f) => ({ path: `/tickets/${f.ticketA}/status`, body: { status: 'pending' } }),
  },
  {
    route: 'PATCH /tickets/:id',
    insider: 'agent',
    request: (f) => ({ path: `/tickets/${f.ticketA}`, body: { tags: ['checked'] } }),
  },
  {
    route: 'POST /tickets/:id/assign',
    insider: 'agent',
    request: (f) => ({ path: `/tickets/${f.ticketA}/assign`, body: { assigneeId: null } }),
  },
  {
    route: 'GET /realms',
    insider: 'agent',
    request: () => ({ path: '/realms' }),
    lists: (f) => f.realmA.id,
  },
  {
    route: 'GET /realms/:realmId/game-servers',
    insider: 'admin',
    request: (f) => ({ path: `/realms/${f.realmA.id}/game-servers` }),
  },
  {
    route: 'POST /realms/:realmId/game-servers',
    insider: 'admin',
    request: (f) => ({ path: `/realms/${f.realmA.id}/game-servers`, body: { name: 'x' } }),
  },
  {
    route: 'POST /game-servers/:id/revoke',
    insider: 'admin',
    request: async (f) => ({ path: `/game-servers/${await f.newServerA()}/revoke` }),
  },
  {
    route: 'POST /realms/:realmId/player-token-secret/rotate',
    insider: 'admin',
    request: async (f) => ({
      path: `/realms/${(await f.newRealm()).id}/player-token-secret/rotate`,
    }),
  },
  // Staff accounts belong to the realms they work in: an admin limited to realm B manages only
  // staff within realm B (issue 11 §4).
  {
    route: 'GET /staff/:id',
    insider: 'admin',
    request: (f) => ({ path: `/staff/${f.staffA}` }),
  },
  {
    route: 'PATCH /staff/:id',
    insider: 'admin',
    request: (f) => ({ path: `/staff/${f.staffA}`, body: { displayName: 'Renamed' } }),
  },
  {
    route: 'GET /staff/directory',
    insider: 'agent',
    request: () => ({ path: '/staff/directory' }),
    lists: (f) => f.staffA,
  },
  {
    route: 'GET /players',
    insider: 'agent',
    request: (f) => ({ path: `/players?q=${f.offenderA}` }),
    lists: (f) => f.offenderA,
  },
  {
    route: 'GET /staff',
    insider: 'admin',
    request: () => ({ path: '/staff' }),
    lists: (f) => f.staffA,
  },
];

describe('authorization matrix', () => {
  let sut: ApiTestContext;
  let routes: DiscoveredRoute[];
  let fixtures: Fixtures;
  let callers: Record<Caller, { auth: string }>;
  let outsiders: Record<Outsider, { auth: string }>;

  /** Syntactically valid values for path parameters, so that only authorization can refuse. */
  function fill(path: string): string {
    const placeholders: Record<string, () => string> = {
      realmId: () => fixtures.realmA.id,
      accountId: () => `acct-${randomBytes(4).toString('hex')}`,
      id: () => randomUUID(),
    };
    return path.replace(/:(\w+)/g, (_match, name: string) => {
      const make = placeholders[name];
      if (!make) {
        throw new Error(`no placeholder for path parameter :${name} in ${path}; add one`);
      }
      return make();
    });
  }

  function send(method: string, path: string, auth?: string, body?: object): Promise<Response> {
    const verb = method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = sut.http()[verb](path);
    if (auth) {
      request = request.set('Authorization', auth);
    }
    return ['post', 'put', 'patch'].includes(verb) ? request.send(body ?? {}) : request;
  }

  beforeAll(async () => {
    sut = await ApiTestContext.start({ rateLimitPerMinute: 100_000 }, { gateway: true });
    const [realmA, realmB] = await Promise.all([sut.newRealm(), sut.newRealm()]);
    const [playerA, serverA, agent, moderator, admin] = await Promise.all([
      sut.newPlayer(realmA),
      sut.newGameServer(realmA),
      sut.newStaff('agent'),
      sut.newStaff('moderator'),
      sut.newStaff('admin'),
    ]);
    callers = { player: playerA, game_server: serverA, agent, moderator, admin };
    const restricted = { realms: [realmB.id] };
    const [playerB, serverB, agentB, moderatorB, adminB] = await Promise.all([
      sut.newPlayer(realmB),
      sut.newGameServer(realmB),
      sut.newStaff('agent', restricted),
      sut.newStaff('moderator', restricted),
      sut.newStaff('admin', restricted),
    ]);
    outsiders = {
      player_b: playerB,
      server_b: serverB,
      agent_b: agentB,
      moderator_b: moderatorB,
      admin_b: adminB,
    };

    const staffA = await sut.newStaff('agent', { realms: [realmA.id] });
    const offenderA = `offender-${randomBytes(4).toString('hex')}`;
    const ticket = await send('POST', '/tickets', playerA.auth, {
      category: 'stuck',
      subject: 'Stuck',
      body: 'Help',
    });
    const report = await send('POST', '/reports', playerA.auth, {
      reportedPlayerId: offenderA,
      category: 'harassment',
      description: 'Insults',
      occurredAt: new Date().toISOString(),
    });
    expect([ticket.status, report.status]).toEqual([201, 201]);
    fixtures = {
      realmA,
      realmB,
      serverA,
      playerA,
      offenderA,
      staffA: staffA.id,
      ticketA: (ticket.body as { id: string }).id,
      reportA: (report.body as { id: string }).id,
      async newSanctionA() {
        const issued = await send('POST', '/sanctions', moderator.auth, {
          realmId: realmA.id,
          playerId: offenderA,
          type: 'mute',
          publicReason: 'Spam',
          durationMinutes: 60,
        });
        expect(issued.status).toBe(201);
        return (issued.body as { id: string }).id;
      },
      async newServerA() {
        return (await sut.newGameServer(realmA)).id;
      },
      newRealm: () => sut.newRealm(),
    };
    routes = discoverRoutes(sut);
  });

  afterAll(() => sut.close());

  it('has exactly one reviewed policy row for every route the api serves', () => {
    const served = routes.map((route) => route.key).sort();
    const reviewed = Object.keys(POLICY).sort();

    expect(served.filter((key) => !reviewed.includes(key))).toEqual([]);
    expect(reviewed.filter((key) => !served.includes(key))).toEqual([]);
  });

  it('serves only discovered routes, apart from the OpenAPI documents', () => {
    const discovered = routes.map((route) => route.key);
    const outsideNest = mountedEndpoints(sut).filter((endpoint) => !discovered.includes(endpoint));

    // SwaggerModule mounts the documentation on Express directly, outside any controller.
    expect(outsideNest.filter((endpoint) => !/^GET \/docs([/-]|$)/.test(endpoint))).toEqual([]);
  });

  it('declares @Public() exactly on the public rows and @Allow(...) on every other route', () => {
    const wrong = routes.filter((route) => {
      const policy = POLICY[route.key];
      return policy === 'public'
        ? !route.isPublic
        : route.isPublic || route.audiences === undefined || route.audiences.length === 0;
    });

    expect(wrong.map(describeRoute)).toEqual([]);
  });

  it('serves the public routes to an anonymous caller and answers 401 on every other one', async () => {
    const wrong: string[] = [];
    for (const route of routes) {
      const response = await send(route.method, fill(route.path));
      const refused = response.status === 401 && errorCode(response) === 'unauthenticated';
      if (POLICY[route.key] === 'public' ? refused || response.status >= 500 : !refused) {
        wrong.push(`${describeRoute(route)} → ${response.status}`);
      }
    }

    expect(wrong).toEqual([]);
  });

  it.each(CALLERS)(
    'admits a %s exactly where the policy says, and refuses it with 403 forbidden elsewhere',
    async (caller) => {
      const wrong: string[] = [];
      for (const route of routes) {
        const policy = POLICY[route.key];
        if (policy === 'public' || policy === undefined) {
          continue;
        }
        const auth =
          ENDS_OWN_SESSION.includes(route.key) && STAFF.includes(caller)
            ? (await sut.newStaff(caller as 'agent' | 'moderator' | 'admin')).auth
            : callers[caller].auth;
        const response = await send(route.method, fill(route.path), auth);
        const outcome = `${describeRoute(route)} → ${response.status} ${JSON.stringify(response.body)}`;
        if (policy.includes(caller)) {
          if ([401, 403].includes(response.status) || response.status >= 500) {
            wrong.push(`admitted but ${outcome}`);
          }
        } else if (response.status !== 403 || errorCode(response) !== 'forbidden') {
          wrong.push(`not admitted but ${outcome}`);
        }
      }

      expect(wrong).toEqual([]);
    },
  );

  it('has a realm probe for every route that names a realm-owned resource', () => {
    const probed = new Set(REALM_PROBES.map((probe) => probe.route));
    const realmOwned = Object.keys(POLICY).filter((key) => /:(realmId|id)\b/.test(key));

    expect(realmOwned.filter((key) => !probed.has(key))).toEqual([]);
  });

  describe.each(REALM_PROBES.map((probe) => [probe.route, probe] as const))(
    'across realms: %s',
    (_route, probe) => {
      const [method] = probe.route.split(' ');

      it('refuses every admitted principal of another realm, and serves the realm’s own', async () => {
        const wrong: string[] = [];
        const policy = POLICY[probe.route];
        expect(Array.isArray(policy)).toBe(true);
        for (const [outsider, kind] of Object.entries(OUTSIDER_KIND) as [Outsider, Caller][]) {
          if (!(policy as readonly Caller[]).includes(kind)) {
            continue;
          }
          const { path, body } = await probe.request(fixtures);
          const response = await send(method, path, outsiders[outsider].auth, body);
          const text = JSON.stringify(response.body);
          const refused = probe.lists
            ? response.status === 200 && !text.includes(probe.lists(fixtures))
            : response.status === (probe.outsiderStatus ?? 404);
          if (!refused) {
            wrong.push(`${outsider} → ${response.status} ${text.slice(0, 300)}`);
          }
        }
        const { path, body } = await probe.request(fixtures);
        const inside = await send(method, path, callers[probe.insider].auth, body);

        expect(wrong).toEqual([]);
        expect(inside.status < 300 ? 'ok' : `${inside.status} ${JSON.stringify(inside.body)}`).toBe(
          'ok',
        );
        if (probe.lists) {
          expect(JSON.stringify(inside.body)).toContain(probe.lists(fixtures));
        }
      });
    },
  );

  describe('sockets', () => {
    const open: Socket[] = [];
    afterAll(() => open.forEach((socket) => socket.close()));

    const handshakeAuth = (caller: Caller | Outsider): Record<string, string> => {
      const principal = (
        caller in outsiders ? outsiders[caller as Outsider] : callers[caller as Caller]
      ) as {
        token?: string;
        apiKey?: string;
      };
      return principal.apiKey ? { apiKey: principal.apiKey } : { token: principal.token ?? '' };
    };

    const connect = async (namespace: string, caller: Caller | Outsider): Promise<Socket> => {
      const socket = await connectSocket(sut.url, namespace, { auth: handshakeAuth(caller) });
      open.push(socket);
      return socket;
    };

    it('has a policy row for every event the gateway contracts declare', () => {
      expect({
        '/player': [...CLIENT_EVENTS.player].sort(),
        '/staff': [...CLIENT_EVENTS.staff].sort(),
        '/game': [...CLIENT_EVENTS.game].sort(),
      }).toEqual({
        '/player': [...SOCKET_POLICY['/player'].events].sort(),
        '/staff': [...SOCKET_POLICY['/staff'].events].sort(),
        '/game': [...SOCKET_POLICY['/game'].events].sort(),
      });
    });

    it.each(Object.keys(SOCKET_POLICY) as (keyof typeof SOCKET_POLICY)[])(
      'lets exactly the policy’s callers connect to %s, refusing the others at the handshake',
      async (namespace) => {
        const wrong: string[] = [];
        for (const caller of CALLERS) {
          if (SOCKET_POLICY[namespace].callers.includes(caller)) {
            await connect(namespace, caller).catch((error: Error) => {
              wrong.push(`${caller} refused: ${error.message}`);
            });
          } else {
            const error = await expectConnectError(sut.url, namespace, {
              auth: handshakeAuth(caller),
            }).catch((failure: Error) => failure);
            const code = (error as { data?: { code?: string } }).data?.code;
            if (code !== 'forbidden' && code !== 'unauthenticated') {
              wrong.push(`${caller} → ${error.message}`);
            }
          }
        }
        const anonymous = await expectConnectError(sut.url, namespace);

        expect(wrong).toEqual([]);
        expect(anonymous.data?.code).toBe('unauthenticated');
      },
    );

    it('answers a staff member of realm B as "not found" when watching or typing on a ticket of realm A', async () => {
      const agentB = await connect('/staff', 'agent_b');
      const agent = await connect('/staff', 'agent');
      const ticketId = fixtures.ticketA;

      const outside = await Promise.all([
        emitAck(agentB, 'ticket.watch', { ticketId }),
        emitAck(agentB, 'typing', { ticketId }),
        emitAck(agentB, 'ticket.unwatch', { ticketId }),
      ]);
      const inside = await emitAck(agent, 'ticket.watch', { ticketId });

      expect(outside.map((ack) => ack.error?.code)).toEqual([
        'ticket_not_found',
        'ticket_not_found',
        'ticket_not_found',
      ]);
      expect(inside.ok).toBe(true);
    });

    it('answers a staff member of realm B as "not found" when watching the queue of realm A', async () => {
      const agentB = await connect('/staff', 'agent_b');
      const agent = await connect('/staff', 'agent');

      const outside = await emitAck(agentB, 'queue.watch', { realmId: fixtures.realmA.id });
      const unknown = await emitAck(agent, 'queue.watch', { realmId: 'no-such-realm' });
      const inside = await emitAck(agent, 'queue.watch', { realmId: fixtures.realmA.id });
      const everything = await emitAck(agentB, 'queue.watch', {});

      expect(outside).toMatchObject({ ok: false, error: { code: 'realm_not_found' } });
      expect(unknown).toMatchObject({ ok: false, error: { code: 'realm_not_found' } });
      expect(inside).toMatchObject({ ok: true, filters: { realmId: fixtures.realmA.id } });
      expect(everything.ok).toBe(true);
    });

    it('answers a player of realm B, or another player, as "not found" on a ticket of realm A', async () => {
      const playerB = await connect('/player', 'player_b');
      const otherPlayerA = await sut.newPlayer(fixtures.realmA);
      const other = await connectSocket(sut.url, '/player', {
        auth: { token: otherPlayerA.token },
      });
      open.push(other);

      const acks = await Promise.all(
        [playerB, other].map((socket) =>
          emitAck(socket, 'ticket.message', { ticketId: fixtures.ticketA, body: 'Mine now' }),
        ),
      );

      expect(acks.map((ack) => ack.error?.code)).toEqual(['ticket_not_found', 'ticket_not_found']);
    });

    it('answers a player of realm B, or another player, as "not found" when typing in a ticket of realm A', async () => {
      const playerB = await connect('/player', 'player_b');
      const otherPlayerA = await sut.newPlayer(fixtures.realmA);
      const other = await connectSocket(sut.url, '/player', {
        auth: { token: otherPlayerA.token },
      });
      open.push(other);
      const own = await connect('/player', 'player');

      const acks = await Promise.all(
        [playerB, other].map((socket) => emitAck(socket, 'typing', { ticketId: fixtures.ticketA })),
      );
      const inside = await emitAck(own, 'typing', { ticketId: fixtures.ticketA });

      expect(acks.map((ack) => ack.error?.code)).toEqual(['ticket_not_found', 'ticket_not_found']);
      expect(inside.ok).toBe(true);
    });

    it('answers a game server of realm B as "not found" when acknowledging a sanction of realm A', async () => {
      const sanctionId = await fixtures.newSanctionA();
      const serverB = await connect('/game', 'server_b');

      const ack = await emitAck(serverB, 'sanction.ack', { sanctionId, action: 'issued' });

      expect(ack.error?.code).toBe('sanction_not_found');
    });
  });
});
