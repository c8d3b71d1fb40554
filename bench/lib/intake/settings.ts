/** What `npm run bench:intake` measures and how long; see bench/README.md. */
export type WorkloadName =
  'reports' | 'tickets' | 'replies' | 'queue-moderation' | 'queue-support' | 'ticket-view';

export const WORKLOADS: readonly WorkloadName[] = [
  'queue-moderation',
  'queue-support',
  'ticket-view',
  'reports',
  'tickets',
  'replies',
];

export const WRITE_WORKLOADS: readonly WorkloadName[] = ['reports', 'tickets', 'replies'];

export interface IntakeSettings {
  readonly quick: boolean;
  /** Concurrent HTTP clients (keep-alive connections), each level measured in turn. */
  readonly concurrency: readonly number[];
  /** Unrecorded load before every measured run, same concurrency. */
  readonly warmupSeconds: number;
  readonly measureSeconds: number;
  /** Tickets in the database for the reads (half support, half moderation), seeded with SQL. */
  readonly tickets: number;
  /** Players the seeded tickets belong to (requesters, case subjects, reporters). */
  readonly seededPlayers: number;
  /** Distinct reporters (also the players who open tickets) and distinct report targets. */
  readonly reporters: number;
  readonly targets: number;
  /** Staff (agents) whose tokens the queue, ticket-view and reply workloads rotate through. */
  readonly staff: number;
  /** Open support tickets the staff replies are spread over. */
  readonly replyTickets: number;
  /** Tickets the ticket view picks from at random. */
  readonly viewTickets: number;
  /** gmdesk's DATABASE_POOL_SIZE and the bare server's pool size. */
  readonly poolSize: number;
  /** A request without an answer after this long counts as an error (autocannon timeout). */
  readonly requestTimeoutSeconds: number;
  /** The whole run is aborted after this long (build, seed and every run included). */
  readonly budgetMs: number;
  /** `--profile <workload>` / BENCH_PROFILE: profile gmdesk on one workload at this concurrency. */
  readonly profile?: { readonly workload: WorkloadName; readonly concurrency: number };
  /** Which gmdesk entry runs: the standalone api (default) or the platform (api + gateway + worker). */
  readonly app: 'api' | 'platform';
  readonly skipBuild: boolean;
}

function isWorkload(value: string): value is WorkloadName {
  return (WORKLOADS as readonly string[]).includes(value);
}

/** `--profile reports`, `--profile=reports` or BENCH_PROFILE=reports (`1` picks `reports`). */
function profileWorkload(argv: readonly string[], env: NodeJS.ProcessEnv): string | undefined {
  const index = argv.findIndex((arg) => arg === '--profile' || arg.startsWith('--profile='));
  if (index >= 0) {
    const arg = argv[index];
    const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
    return value && !value.startsWith('--') ? value : 'reports';
  }
  const fromEnv = env.BENCH_PROFILE;
  if (!fromEnv || fromEnv === '0' || fromEnv === 'false') {
    return undefined;
  }
  return fromEnv === '1' || fromEnv === 'true' ? 'reports' : fromEnv;
}

export function intakeSettings(
  env: NodeJS.ProcessEnv = process.env,
  argv: readonly string[] = process.argv.slice(2),
): IntakeSettings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const profiled = profileWorkload(argv, env);
  if (profiled !== undefined && !isWorkload(profiled)) {
    throw new Error(`--profile: unknown workload "${profiled}" (one of ${WORKLOADS.join(', ')})`);
  }
  const app = env.BENCH_APP ?? 'api';
  if (app !== 'api' && app !== 'platform') {
    throw new Error(`BENCH_APP must be api or platform, not "${app}"`);
  }
  return {
    quick,
    // BENCH_CONCURRENCY=32 (or 8,32): only those levels.
    concurrency: env.BENCH_CONCURRENCY
      ? env.BENCH_CONCURRENCY.split(',').map(Number)
      : quick
        ? [8, 32]
        : [1, 8, 32, 64],
    warmupSeconds: quick ? 1 : 2,
    measureSeconds: quick ? 3 : 5,
    tickets: quick ? 20_000 : 100_000,
    seededPlayers: quick ? 5_000 : 20_000,
    // REPORT_REPORTER_LIMIT (10 an hour by default) × reporters bounds the reports one run may file.
    reporters: 10_000,
    // Prime and coprime with `reporters`: request n pairs reporter n mod R with target n mod T, so
    // pairs repeat only after R × T requests and concurrent requests never share a case.
    targets: 9_973,
    staff: 4,
    replyTickets: quick ? 5_000 : 20_000,
    viewTickets: 5_000,
    poolSize: 10,
    requestTimeoutSeconds: 10,
    budgetMs: profiled ? 5 * 60_000 : quick ? 4 * 60_000 : 12 * 60_000,
    ...(profiled !== undefined && {
      profile: { workload: profiled, concurrency: 8 },
    }),
    app,
    skipBuild: env.BENCH_SKIP_BUILD === '1' || env.BENCH_SKIP_BUILD === 'true',
  };
}

/** Issue 12's targets, checked at this concurrency. */
export const INTAKE_TARGETS = {
  concurrency: 32,
  /** gmdesk req/s ÷ the bare endpoint's req/s at the same concurrency, at least. */
  ratio: {
    reports: 0.25,
    tickets: 0.4,
    replies: 0.4,
    'queue-moderation': 0.5,
    'queue-support': 0.5,
    'ticket-view': 0.5,
  } satisfies Record<WorkloadName, number>,
  /** Node CPU (the gmdesk process's user + system time) per write request, below. */
  writeNodeCpuMs: 2,
} as const;
