import {
  REPORT_CATEGORIES,
  SUPPORT_CATEGORIES,
  type Ack,
  type ReportCategory,
  type SanctionEvent,
  type SupportCategory,
  type TicketReplyEvent,
} from '../libs/contracts/src';
import { GameServerClient, PlayerClient } from '../libs/sdk/src';

/**
 * The living part of `npm run simulate`: game servers and players going about their day through
 * the SDK. Credentials come from tools/simulate.ts; this module only talks to gmdesk's sockets.
 */

export interface SimulationPlayer {
  readonly accountId: string;
  readonly displayName: string;
  readonly token: string;
}

export interface SimulationOptions {
  readonly url: string;
  readonly realmId: string;
  /** API keys, one per game server. */
  readonly serverKeys: readonly string[];
  readonly players: readonly SimulationPlayer[];
  /** Actions (reports, tickets) per second, across all players. */
  readonly rate: number;
  /** Seconds; 0 runs until the signal aborts. */
  readonly durationSeconds: number;
  readonly signal?: AbortSignal;
  /** Called about once a second with the running totals. */
  readonly onProgress?: (stats: SimulationStats) => void;
  /** Deterministic runs (tests): a seeded random source. */
  readonly random?: () => number;
}

export interface SimulationStats {
  readonly elapsedSeconds: number;
  readonly serversOnline: number;
  readonly playersOnline: number;
  reportsFiled: number;
  reportsMerged: number;
  ticketsOpened: number;
  gmRepliesReceived: number;
  playerAnswers: number;
  sanctionsReceived: number;
  sanctionsAcked: number;
  /** Refusals gmdesk is right to give (rate limits, cooldowns, closed tickets). */
  refused: number;
  errors: number;
  lastError?: string;
}

const OFFENDER_NAMES = ['Gorgrim', 'xXSlayerXx', 'Vexmoor', 'Nightblade99', 'GoldKing', 'Murkel'];
const PLAYER_NAMES = [
  'Aldric',
  'Mirelle',
  'Thokk',
  'Seraphine',
  'Brannoc',
  'Ysolde',
  'Kaelen',
  'Odessa',
  'Fenwick',
  'Liora',
  'Garrick',
  'Elowen',
  'Torvald',
  'Isolde',
  'Cedric',
  'Nyssa',
  'Rowan',
  'Maelis',
  'Dorian',
  'Sylvie',
  'Hakon',
  'Ilsa',
  'Corwin',
  'Anwen',
  'Bastian',
  'Talia',
  'Orrin',
  'Wren',
];
const ZONES = ['Ironforge Bank', 'Stormwind Gate', 'Crimson Arena', 'Ashen Wastes', 'Dock 7'];

const REPORT_TEXT: Record<ReportCategory, readonly string[]> = {
  cheating: [
    'Teleported across the arena and one-shot the whole raid.',
    'Moves faster than any mount, clearly a speed hack.',
    'Hits through walls every single time.',
  ],
  harassment: [
    'Follows me around and spams insults in whisper.',
    'Keeps camping my corpse and mocking me in /say.',
  ],
  hate_speech: ['Slurs in global chat for ten minutes straight.'],
  spam: ['Spamming a gold-selling site in trade chat.', 'Posts the same link every minute.'],
  rmt: ['Offered 10k gold for real money in whisper.', 'Selling accounts in trade chat.'],
  offensive_name: ['Character name is an insult.'],
  griefing: ['Pulls bosses onto the town on purpose.', 'Blocks the quest giver with a mount.'],
  exploit: [
    'Duplicating items with the mailbox bug.',
    'Standing inside the wall to farm the boss.',
  ],
  other: ['Something is off with this player.'],
};

const TICKET_TEXT: Record<SupportCategory, readonly [string, string][]> = {
  stuck: [['Stuck under the bank', 'I fell through the floor near the bank and cannot move.']],
  lost_item: [
    ['Lost my sword after a disconnect', 'My Thunderfury is gone since the server crashed.'],
    ['Mail with my items vanished', 'I mailed myself 3 potions and they never arrived.'],
  ],
  account: [['Cannot log in since the patch', 'It says my session is invalid every time.']],
  billing: [['Charged twice for the mount bundle', 'My card shows two payments for one mount.']],
  bug: [['Quest will not complete', 'The last step of the harvest quest does not count kills.']],
  other: [['Question about the event', 'When does the winter festival start on our server?']],
};

const ANSWERS = [
  'Thanks, that was it!',
  'It still does not work, I tried again just now.',
  'Ok, I will wait. How long does it usually take?',
  'Here is a screenshot description: the item is not in my bags.',
  'Solved, thank you so much.',
];

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/** The refusals a well-behaved client expects now and then; anything else is an error. */
const EXPECTED_REFUSALS = new Set([
  'report_rate_limited',
  'report_cooldown',
  'rate_limited',
  'ticket_closed',
  'reporter_banned',
  'report_banned',
]);

export function simulationPlayers(
  count: number,
  offenders: number,
): {
  accountId: string;
  displayName: string;
}[] {
  return Array.from({ length: count }, (_, index) => {
    const isOffender = index < offenders;
    const names = isOffender ? OFFENDER_NAMES : PLAYER_NAMES;
    const base = names[index % names.length];
    const round = Math.floor(index / names.length);
    return {
      accountId: `sim-${isOffender ? 'offender' : 'player'}-${index + 1}`,
      displayName: round === 0 ? base : `${base}${round + 1}`,
    };
  });
}

/** Runs until the duration is over or the signal aborts; resolves with the final totals. */
export async function runSimulation(options: SimulationOptions): Promise<SimulationStats> {
  const random = options.random ?? Math.random;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const started = Date.now();
  const stop = new AbortController();
  const onAbort = (): void => stop.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const stats: SimulationStats = {
    elapsedSeconds: 0,
    serversOnline: 0,
    playersOnline: 0,
    reportsFiled: 0,
    reportsMerged: 0,
    ticketsOpened: 0,
    gmRepliesReceived: 0,
    playerAnswers: 0,
    sanctionsReceived: 0,
    sanctionsAcked: 0,
    refused: 0,
    errors: 0,
  };
  const mutable = stats as { -readonly [K in keyof SimulationStats]: SimulationStats[K] };
  const failed = (error: unknown): void => {
    stats.errors += 1;
    stats.lastError = error instanceof Error ? error.message : String(error);
  };
  const refusedOrFailed = (ack: Ack): boolean => {
    if (ack.ok) {
      return false;
    }
    if (EXPECTED_REFUSALS.has(ack.error.code)) {
      stats.refused += 1;
    } else {
      failed(new Error(`${ack.error.code}: ${ack.error.message}`));
    }
    return true;
  };

  // Game servers: online, announce their share of the players, enforce and ack sanctions.
  const servers = options.serverKeys.map(
    (apiKey) => new GameServerClient({ baseUrl: options.url, apiKey, requestTimeoutMs: 10_000 }),
  );
  const enforce = (server: GameServerClient, action: 'issued' | 'revoked') => {
    return (event: SanctionEvent): Promise<void> => {
      stats.sanctionsReceived += 1;
      // A game server takes a moment to apply it (kick the player, mute the chat).
      return sleep(300 + random() * 1200, stop.signal)
        .then(() => server.ackSanction(event.sanctionId, action))
        .then((ack) => {
          if (!refusedOrFailed(ack)) {
            stats.sanctionsAcked += 1;
          }
        })
        .catch(failed);
    };
  };
  const players = options.players.map(
    (player) =>
      new PlayerClient({ baseUrl: options.url, token: player.token, requestTimeoutMs: 10_000 }),
  );
  try {
    await Promise.all(
      servers.map(async (server, index) => {
        server.on('sanction.issued', enforce(server, 'issued'));
        server.on('sanction.revoked', enforce(server, 'revoked'));
        server.onError(failed);
        await server.connect({ timeoutMs: 15_000 });
        mutable.serversOnline += 1;
        const share = options.players.filter((_, i) => i % servers.length === index);
        for (const player of share) {
          const ack = await server.playerSession(player.accountId, 'login', {
            displayName: player.displayName,
            accountCreatedAt: new Date(Date.now() - (30 + random() * 700) * 86_400_000),
          });
          refusedOrFailed(ack);
        }
      }),
    );

    // Players: online, answer a GM's public reply after a moment.
    const answered = new Set<string>();
    await Promise.all(
      players.map(async (client) => {
        client.on('ticket.reply', (event: TicketReplyEvent) => {
          stats.gmRepliesReceived += 1;
          if (answered.has(event.messageId)) {
            return;
          }
          answered.add(event.messageId);
          void sleep(1000 + random() * 3000, stop.signal)
            .then(() =>
              stop.signal.aborted ? undefined : client.sendMessage(event.ticketId, pick(ANSWERS)),
            )
            .then((ack) => {
              if (ack && !refusedOrFailed(ack)) {
                stats.playerAnswers += 1;
              }
            })
            .catch(failed);
        });
        client.onError(failed);
        await client.connect({ timeoutMs: 15_000 });
        mutable.playersOnline += 1;
      }),
    );

    // Offenders are the first accounts (see simulationPlayers): most reports name one of them,
    // so their cases grow; the rest name someone at random.
    const offenders = options.players.filter((p) => p.accountId.startsWith('sim-offender-'));
    const interval = 1000 / options.rate;
    const deadline =
      options.durationSeconds > 0 ? started + options.durationSeconds * 1000 : Infinity;
    const progress = setInterval(() => {
      mutable.elapsedSeconds = Math.round((Date.now() - started) / 1000);
      options.onProgress?.(stats);
    }, 1000);
    const inFlight = new Set<Promise<void>>();
    try {
      let next = Date.now();
      while (!stop.signal.aborted && Date.now() < deadline) {
        const action = act();
        inFlight.add(action);
        void action.finally(() => inFlight.delete(action));
        next += interval * (0.5 + random());
        await sleep(Math.max(0, next - Date.now()), stop.signal);
      }
      await Promise.all(inFlight);
    } finally {
      clearInterval(progress);
    }

    async function act(): Promise<void> {
      const index = Math.floor(random() * players.length);
      const client = players[index];
      const me = options.players[index];
      const roll = random();
      try {
        if (roll < 0.68) {
          const others = options.players.filter((p) => p.accountId !== me.accountId);
          const targets = offenders.filter((p) => p.accountId !== me.accountId);
          const target = targets.length > 0 && random() < 0.75 ? pick(targets) : pick(others);
          const category = pick(REPORT_CATEGORIES.filter((c) => c !== 'other'));
          const payload = {
            reportedPlayerId: target.accountId,
            category,
            description: pick(REPORT_TEXT[category]),
            occurredAt: new Date(Date.now() - random() * 15 * 60_000).toISOString(),
            location: {
              zone: pick(ZONES),
              x: Math.round(random() * 2000),
              y: Math.round(random() * 2000),
            },
          };
          // Now and then the game server relays the report instead of the player's client.
          const ack =
            random() < 0.2
              ? await pick(servers).fileReport({ ...payload, reporterPlayerId: me.accountId })
              : await client.fileReport(payload);
          if (!refusedOrFailed(ack) && ack.ok) {
            stats.reportsFiled += 1;
            if (ack.outcome === 'merged') {
              stats.reportsMerged += 1;
            }
          }
        } else {
          const category = pick(SUPPORT_CATEGORIES);
          const [subject, body] = pick(TICKET_TEXT[category]);
          const ack = await client.openTicket({ category, subject, body, language: 'en' });
          if (!refusedOrFailed(ack) && ack.ok) {
            stats.ticketsOpened += 1;
          }
        }
      } catch (error) {
        failed(error);
      }
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const client of [...players, ...servers]) {
      client.close();
    }
  }
  mutable.elapsedSeconds = Math.round((Date.now() - started) / 1000);
  return stats;
}
