import {
  createRootRoute,
  createRoute,
  createRouter,
  lazyRouteComponent,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import { AdminPage } from '../features/admin/components/admin-page';
import { AuditPage } from '../features/audit/components/audit-page';
import { CaseView } from '../features/case/components/case-view';
import { PlayerPage } from '../features/player/components/player-page';
import { PlayerSearchPage } from '../features/player/components/player-search';
import { PlayerSummary } from '../features/player/components/player-summary';
import { parseQueueFilters } from '../features/queue/api';
import { QueuePage } from '../features/queue/components/queue-page';
import { CaseSanctions } from '../features/sanctions/components/case-sanctions';
import { PlayerSanctions } from '../features/sanctions/components/player-sanctions';
import { SanctionsPage } from '../features/sanctions/components/sanctions-page';
import { session } from './session';
import { Shell } from './shell';
import { SignInPage } from './sign-in-page';

const rootRoute = createRootRoute({ component: Outlet });

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => ({
    redirect: typeof search.redirect === 'string' ? search.redirect : undefined,
  }),
  component: SignInPage,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: ({ location }) => {
    if (session.getSnapshot().status !== 'signed_in') {
      // TanStack Router's redirects are thrown Response objects, by design.
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    }
  },
  component: Shell,
});

const indexRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/',
  beforeLoad: () => {
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw redirect({ to: '/queue' });
  },
});

export const queueRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/queue',
  validateSearch: parseQueueFilters,
  component: QueuePage,
});

export const caseRoute = createRoute({
  getParentRoute: () => queueRoute,
  path: '$ticketId',
  component: function CaseRoute() {
    const { ticketId } = caseRoute.useParams();
    return (
      <CaseView
        key={ticketId}
        ticketId={ticketId}
        sidebar={(ticket) => {
          const player = ticket.kind === 'moderation' ? ticket.subjectPlayer : ticket.requester;
          return player ? (
            <>
              <PlayerSummary realmId={ticket.realmId} accountId={player.accountId} />
              {ticket.kind === 'moderation' && (
                <div style={{ marginTop: 16 }}>
                  <CaseSanctions
                    target={{ realmId: ticket.realmId, player, ticketId: ticket.id }}
                  />
                </div>
              )}
            </>
          ) : null;
        }}
      />
    );
  },
});

const dashboardRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/dashboard',
  // Loaded on first visit: its chart library stays out of the initial bundle.
  component: lazyRouteComponent(
    () => import('../features/dashboard/components/dashboard-page'),
    'DashboardPage',
  ),
});

const sanctionsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/sanctions',
  component: SanctionsPage,
});

const auditRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/audit',
  component: AuditPage,
});

const adminRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/admin',
  component: AdminPage,
});

export const playerRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/players/$realmId/$accountId',
  component: function PlayerRoute() {
    const { realmId, accountId } = playerRoute.useParams();
    return (
      <PlayerPage
        key={`${realmId}/${accountId}`}
        realmId={realmId}
        accountId={accountId}
        sanctions={<PlayerSanctions realmId={realmId} accountId={accountId} />}
      />
    );
  },
});

const playersRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/players',
  component: PlayerSearchPage,
});

const routeTree = rootRoute.addChildren([
  signInRoute,
  appRoute.addChildren([
    indexRoute,
    queueRoute.addChildren([caseRoute]),
    dashboardRoute,
    sanctionsRoute,
    auditRoute,
    adminRoute,
    playerRoute,
    playersRoute,
  ]),
]);

export const router = createRouter({
  routeTree,
  basepath: '/console',
  defaultPreload: false,
  scrollRestoration: false,
});

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
