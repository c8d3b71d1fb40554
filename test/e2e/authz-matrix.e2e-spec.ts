import type { StaffRole } from '@gmdesk/contracts';
import { ALLOW_KEY, PUBLIC_KEY, type Audience } from '@gmdesk/core';
import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import {
  ApiTestContext,
  type TestGameServer,
  type TestPlayer,
  type TestRealm,
} from '../support/api-context';

/** The role order the access policy promises: each role may do what the ones before it may. */
const ROLE_ORDER: readonly StaffRole[] = ['agent', 'moderator', 'admin'];

type CallerKind = 'player' | 'game_server' | StaffRole;
const CALLER_LABELS: ReadonlyArray<[string, CallerKind]> = [
  ['a player', 'player'],
  ['a game server', 'game_server'],
  ['an agent', 'agent'],
  ['a moderator', 'moderator'],
  ['an admin', 'admin'],
];

interface DiscoveredRoute {
  readonly method: string;
  readonly path: string;
  /** `Controller.handler`, to name the route in failures. */
  readonly source: string;
  readonly isPublic: boolean;
  readonly audiences: readonly Audience[] | undefined;
}

/** The audience a route declares admits this kind of caller (staff roles are minimums). */
function expectAdmitted(audiences: readonly Audience[], caller: CallerKind): boolean {
  return audiences.some((audience) => {
    if (audience === 'player' || audience === 'game_server') {
      return audience === caller;
    }
    return (
      caller !== 'player' &&
      caller !== 'game_server' &&
      ROLE_ORDER.indexOf(caller) >= ROLE_ORDER.indexOf(audience)
    );
  });
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

/**
 * Every REST handler Nest knows, found the way Nest finds them: controllers from the module
 * container, route methods by their metadata, who may call each one as the AuthGuard reads it.
 */
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
          routes.push({
            method: RequestMethod[requestMethod],
            path: joinPath(base, own),
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

/**
 * What Express 5 actually serves (`app.router.stack`; Express 4's `app._router` is gone).
 * Nest mounts middleware as routes for every method, so endpoints are the one-method routes.
 */
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

/** Routes that end the caller's own session when they succeed. */
const ENDS_OWN_SESSION = ['POST /auth/logout'];

const describeRoute = (route: DiscoveredRoute): string =>
  `${route.method} ${route.path} (${route.source})`;

const errorCode = (response: Response): unknown =>
  (response.body as { error?: { code?: unknown } }).error?.code;

describe('authorization matrix', () => {
  let sut: ApiTestContext;
  let routes: DiscoveredRoute[];
  let realm: TestRealm;
  let callers: Record<CallerKind, { auth: string }>;

  /** Syntactically valid values for path parameters, so that only authorization can refuse. */
  function fill(path: string): string {
    const placeholders: Record<string, () => string> = {
      realmId: () => realm.id,
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

  function call(route: DiscoveredRoute, auth?: string): Promise<Response> {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    let request = sut.http()[method](fill(route.path));
    if (auth) {
      request = request.set('Authorization', auth);
    }
    return ['post', 'put', 'patch'].includes(method) ? request.send({}) : request;
  }

  beforeAll(async () => {
    sut = await ApiTestContext.start();
    realm = await sut.newRealm();
    const [player, gameServer, agent, moderator, admin] = await Promise.all([
      sut.newPlayer(realm),
      sut.newGameServer(realm),
      sut.newStaff('agent'),
      sut.newStaff('moderator'),
      sut.newStaff('admin'),
    ]);
    callers = { player, game_server: gameServer, agent, moderator, admin };
    routes = discoverRoutes(sut);
  });

  afterAll(() => sut.close());

  it('finds every route the router serves, and only those, through Nest discovery', () => {
    const discovered = routes.map((route) => `${route.method} ${route.path}`);
    const mounted = mountedEndpoints(sut);

    expect(discovered.length).toBeGreaterThan(10);
    expect(mounted).toEqual(expect.arrayContaining(discovered));
    // SwaggerModule mounts the documentation on Express directly, outside any controller, so
    // no decorator can apply to it; it is public by design. Nothing else may bypass Nest.
    const outsideNest = mounted.filter((endpoint) => !discovered.includes(endpoint));
    expect(outsideNest.filter((endpoint) => !/^GET \/docs([/-]|$)/.test(endpoint))).toEqual([]);
  });

  it('every route declares @Allow(...) or @Public()', () => {
    const undeclared = routes.filter(
      (route) => !route.isPublic && (route.audiences === undefined || route.audiences.length === 0),
    );

    expect(undeclared.map(describeRoute)).toEqual([]);
  });

  it('serves the public routes to an anonymous caller', async () => {
    const publicRoutes = routes.filter((route) => route.isPublic);
    expect(publicRoutes.length).toBeGreaterThan(0);

    const refused: string[] = [];
    for (const route of publicRoutes) {
      const response = await call(route);
      if (response.status === 401 || response.status === 403 || response.status >= 500) {
        refused.push(`${describeRoute(route)} → ${response.status}`);
      }
    }
    expect(refused).toEqual([]);
  });

  it('answers every other route 401 unauthenticated to an anonymous caller', async () => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => !r.isPublic)) {
      const response = await call(route);
      if (response.status !== 401 || errorCode(response) !== 'unauthenticated') {
        wrong.push(`${describeRoute(route)} → ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it.each(CALLER_LABELS)(
    'refuses %s with 403 forbidden outside the declared audience, and serves them inside',
    async (_label, kind) => {
      const wrong: string[] = [];
      let admittedCount = 0;
      for (const route of routes.filter((r) => !r.isPublic && r.audiences)) {
        const admitted = expectAdmitted(route.audiences ?? [], kind);
        // Logging out ends the caller's token: a throwaway session of the same role makes that call.
        const auth =
          ENDS_OWN_SESSION.includes(`${route.method} ${route.path}`) &&
          kind !== 'player' &&
          kind !== 'game_server'
            ? (await sut.newStaff(kind)).auth
            : callers[kind].auth;
        const response = await call(route, auth);
        const outcome = `${describeRoute(route)} → ${response.status} ${JSON.stringify(response.body)}`;
        if (admitted) {
          admittedCount += 1;
          if ([401, 403].includes(response.status) || response.status >= 500) {
            wrong.push(`admitted but ${outcome}`);
          }
        } else if (response.status !== 403 || errorCode(response) !== 'forbidden') {
          wrong.push(`not in the audience but ${outcome}`);
        }
      }

      expect(wrong).toEqual([]);
      expect(admittedCount).toBeGreaterThan(0);
    },
  );

  describe('across realms', () => {
    let otherRealm: TestRealm;
    let otherServer: TestGameServer;
    let player: TestPlayer;
    let server: TestGameServer;
    let otherAccountId: string;

    beforeAll(async () => {
      otherRealm = await sut.newRealm();
      otherServer = await sut.newGameServer(otherRealm);
      player = await sut.newPlayer(realm);
      server = await sut.newGameServer(realm);
      otherAccountId = `acct-${randomBytes(4).toString('hex')}`;
      await sut
        .http()
        .put(`/realms/${otherRealm.id}/players/${otherAccountId}`)
        .set('Authorization', otherServer.auth)
        .send({ displayName: 'Elsewhere' })
        .expect(200);
      await sut
        .http()
        .put(`/realms/${realm.id}/players/${player.accountId}`)
        .set('Authorization', server.auth)
        .send({ displayName: 'Home' })
        .expect(200);
    });

    it('lets a player read their own record', async () => {
      const response = await sut
        .http()
        .get(`/realms/${realm.id}/players/${player.accountId}`)
        .set('Authorization', player.auth);

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ realmId: realm.id, accountId: player.accountId });
    });

    it('answers 404 to a player of one realm reading a player of another, like a missing one', async () => {
      const existing = await sut
        .http()
        .get(`/realms/${otherRealm.id}/players/${otherAccountId}`)
        .set('Authorization', player.auth);
      const missing = await sut
        .http()
        .get(`/realms/${otherRealm.id}/players/acct-never-seen`)
        .set('Authorization', player.auth);

      expect(existing.status).toBe(404);
      expect(errorCode(existing)).toBe(errorCode(missing));
      expect(JSON.stringify(existing.body)).not.toContain('Elsewhere');
    });

    it('answers 404 to a game server of one realm registering a player in another', async () => {
      const response = await sut
        .http()
        .put(`/realms/${otherRealm.id}/players/${otherAccountId}`)
        .set('Authorization', server.auth)
        .send({ displayName: 'Hijacked' });

      expect(response.status).toBe(404);
      expect(errorCode(response)).toMatch(/not_found$/);
      const stored = await sut
        .http()
        .get(`/realms/${otherRealm.id}/players/${otherAccountId}`)
        .set('Authorization', otherServer.auth)
        .expect(200);
      expect(stored.body).toMatchObject({ displayName: 'Elsewhere' });
    });
  });
});
