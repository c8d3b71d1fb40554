export interface BenchSettings {
  readonly quick: boolean;
  /** Connected /player clients for the reply figure (each size is measured in turn, growing). */
  readonly playerSizes: readonly number[];
  /** Measured replies per size (after the warm-up). */
  readonly replies: number;
  /** Unrecorded samples before each series. */
  readonly warmup: number;
  /** /staff sockets that must all receive `report.filed`. */
  readonly staffSockets: number;
  readonly reports: number;
  /** Idle /player connections for the memory figure. */
  readonly memoryConnections: number;
  /** Handshakes in flight at once while connecting clients. */
  readonly connectConcurrency: number;
  /** Support tickets opened at once through TicketsService.openSupportTicket. */
  readonly ticketConcurrency: number;
  /** A sample whose event has not arrived by then counts as lost. */
  readonly sampleTimeoutMs: number;
  /** The whole run is aborted after this long. */
  readonly budgetMs: number;
}

export function benchSettings(env: NodeJS.ProcessEnv = process.env): BenchSettings {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  return {
    quick,
    playerSizes: quick ? [100, 300] : [1000, 5000],
    replies: quick ? 100 : 500,
    warmup: quick ? 10 : 25,
    staffSockets: 3,
    reports: quick ? 100 : 500,
    memoryConnections: quick ? 1000 : 10_000,
    connectConcurrency: 200,
    ticketConcurrency: 4,
    sampleTimeoutMs: 5000,
    budgetMs: quick ? 5 * 60_000 : 15 * 60_000,
  };
}

export const TARGETS = {
  replyP99Ms: 10,
  reportP99Ms: 15,
  memoryRatio: 2,
} as const;
