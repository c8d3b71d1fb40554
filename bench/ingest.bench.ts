/**
 * `npm run bench:ingest` — chat lines per second end to end, acknowledged after commit: over the
 * `/game` socket (`chat.batch`) and over REST (`POST /chat/batches`), beside raw `COPY` of the same
 * lines into the same table from a plain `pg` client, measured in the same run (DESIGN §6, issue
 * 14: target ≥ 50 % of raw COPY). gmdesk runs as `npm start` does (the built platform: api,
 * gateway and worker in one process) in its own OS process on a fresh migrated database.
 *
 * BENCH_QUICK=1: 4 s per workload instead of 15. BENCH_SKIP_BUILD=1: use the existing dist/.
 * BENCH_SENDERS (4): game servers sending at once; BENCH_IN_FLIGHT (2): batches each keeps
 * unacknowledged; BENCH_BATCH_LINES (1000): lines per batch. BENCH_PROFILE=1: profile gmdesk
 * (`npm run bench:profile-summary -- <file>` then summarises it).
 */
import { hash } from 'argon2';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ChatLinePayload } from '../libs/contracts/src';
import { copyText } from '../libs/db/src/sql';
import { GameServerClient } from '../libs/sdk/src';
import globalSetup, { tearDownHarness } from '../libs/testing/src/global-setup';
import { createTestDatabase, type TestDatabase } from '../libs/testing/src/test-database';
import { LatencyRecorder, type LatencySummary } from './lib/histogram';
import { processCpu } from './lib/intake/cpu';
import { buildApp, freePort, GmdeskProcess, randomSecret } from './lib/intake/gmdesk-process';
import { table } from './lib/report';
import { seconds, withTimeout } from './lib/timing';

const RESULTS = join(__dirname, 'results');
const REALM = 'bench';
const TARGET_RATIO = 0.5;

const log = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

const envInt = (name: string, fallback: number): number => {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
};

const settings = {
  quick: process.env.BENCH_QUICK === '1',
  skipBuild: process.env.BENCH_SKIP_BUILD === '1',
  seconds: process.env.BENCH_QUICK === '1' ? 4 : 15,
  senders: envInt('BENCH_SENDERS', 4),
  inFlight: envInt('BENCH_IN_FLIGHT', 2),
  batchLines: envInt('BENCH_BATCH_LINES', 1000),
};

/** What people type in game chat: short, mixed, some whispers. */
const PHRASES = [
  'anyone up for the raid tonight? need a healer',
  'lol that boss one-shot me again',
  'WTS [Thunderfury] pst with offers',
  'gg wp everyone, see you tomorrow',
  'where do I turn in the quest for the blacksmith?',
  'LFG dungeon, tank here, 2 more dps please',
  'thanks for the help earlier!',
  'brb dinner',
];
const CHANNELS = ['say', 'party', 'guild', 'trade', 'world', 'whisper'];

function makeLines(sender: number, count: number, seq: number): ChatLinePayload[] {
  const sentAt = new Date().toISOString();
  return Array.from({ length: count }, (_, index) => {
    const channel = CHANNELS[(seq + index) % CHANNELS.length];
    return {
      channel,
      sender: `p${sender}-${index % 200}`,
      ...(channel === 'whisper' && { recipient: `p${sender}-${(index + 1) % 200}` }),
      body: `${PHRASES[(seq * 7 + index) % PHRASES.length]} #${seq}.${index}`,
      sentAt,
    };
  });
}

interface WorkloadResult {
  readonly name: string;
  readonly lines: number;
  readonly batches: number;
  readonly seconds: number;
  readonly linesPerSecond: number;
  readonly ack: LatencySummary;
  readonly errors: number;
  readonly retryHints: number;
  readonly gmdeskCpuMsPerBatch?: number;
}

/** Runs `senders` loops for `durationMs`, each keeping `inFlight` batches outstanding. */
async function drive(
  name: string,
  durationMs: number,
  send: (sender: number, seq: number) => Promise<{ lines: number; retryAfterMs?: number }>,
  cpuPid?: number,
): Promise<WorkloadResult> {
  const ack = new LatencyRecorder();
  let lines = 0;
  let batches = 0;
  let errors = 0;
  let retryHints = 0;
  let seq = 0;
  const cpuBefore = cpuPid ? processCpu(cpuPid)?.totalMs : undefined;
  const started = Date.now();
  const deadline = started + durationMs;
  const loop = async (sender: number): Promise<void> => {
    while (Date.now() < deadline) {
      const sentAt = performance.now();
      try {
        const result = await send(sender, (seq += 1));
        ack.record(performance.now() - sentAt);
        lines += result.lines;
        batches += 1;
        if (result.retryAfterMs) {
          retryHints += 1;
          await new Promise((resolve) => setTimeout(resolve, result.retryAfterMs));
        }
      } catch (error) {
        errors += 1;
        if (errors <= 3) {
          log(`  ${name}: ${(error as Error).message}`);
        }
      }
    }
  };
  await Promise.all(
    Array.from({ length: settings.senders * settings.inFlight }, (_, index) =>
      loop(index % settings.senders),
    ),
  );
  const elapsed = (Date.now() - started) / 1000;
  const cpuAfter = cpuPid ? processCpu(cpuPid)?.totalMs : undefined;
  return {
    name,
    lines,
    batches,
    seconds: elapsed,
    linesPerSecond: lines / elapsed,
    ack: ack.summary(),
    errors,
    retryHints,
    ...(cpuBefore !== undefined &&
      cpuAfter !== undefined &&
      batches > 0 && { gmdeskCpuMsPerBatch: (cpuAfter - cpuBefore) / batches }),
  };
}

function rssKbOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  let database: TestDatabase | undefined;
  let gmdesk: GmdeskProcess | undefined;
  const clients: GameServerClient[] = [];
  const pgClients: Client[] = [];
  const cleanup = async (): Promise<void> => {
    for (const client of clients) {
      client.close();
    }
    await Promise.all(pgClients.map((client) => client.end().catch(() => undefined)));
    await gmdesk?.child.stop(10_000);
    await database?.drop().catch(() => undefined);
    await tearDownHarness().catch(() => undefined);
  };
  try {
    log(
      `gmdesk chat ingest bench — ${settings.senders} game servers × ${settings.inFlight} batches in flight, ` +
        `${settings.batchLines} lines a batch, ${settings.seconds} s a workload (load ${loadavg()[0]?.toFixed(2)})`,
    );
    if (!settings.skipBuild) {
      log('building gmdesk (nest build platform)…');
      await buildApp('platform', 5 * 60_000);
    }
    await globalSetup();
    database = await createTestDatabase();
    const seedClient = new Client({ connectionString: database.url });
    await seedClient.connect();
    const password = randomSecret();
    await seedClient.query(
      `INSERT INTO realms (id, name, player_token_secret) VALUES ($1, 'Bench realm', $2)`,
      [REALM, randomSecret()],
    );
    await seedClient.query(
      `INSERT INTO staff (username, display_name, role, password_hash, realms, languages)
       VALUES ('bench-admin', 'Bench admin', 'admin', $1, '{}', '{en}')`,
      [await hash(password)],
    );
    await seedClient.end();

    gmdesk = await GmdeskProcess.start({
      app: 'platform',
      databaseUrl: database.url,
      port: await freePort(),
      poolSize: 10,
      jwtSecret: randomSecret(),
      // BENCH_PROFILE=1: a V8 CPU profile of gmdesk, written when it exits (bench/results/profiles).
      ...(process.env.BENCH_PROFILE === '1' && { cpuProfileDir: join(RESULTS, 'profiles') }),
    });
    log(`gmdesk platform is up (pid ${gmdesk.pid}, ${gmdesk.url})`);
    const login = (await (
      await fetch(`${gmdesk.url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'bench-admin', password }),
      })
    ).json()) as { accessToken: string };
    const servers: { id: string; apiKey: string }[] = [];
    for (let index = 0; index < settings.senders; index += 1) {
      const response = await fetch(`${gmdesk.url}/realms/${REALM}/game-servers`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${login.accessToken}`,
        },
        body: JSON.stringify({ name: `bench-${index}` }),
      });
      servers.push((await response.json()) as { id: string; apiKey: string });
    }
    for (const server of servers) {
      const client = new GameServerClient({ baseUrl: gmdesk.url, apiKey: server.apiKey });
      clients.push(client);
      await client.connect({ timeoutMs: 30_000 });
    }
    for (let index = 0; index < settings.senders * settings.inFlight; index += 1) {
      const client = new Client({ connectionString: database.url });
      await client.connect();
      pgClients.push(client);
    }
    const rssBefore = rssKbOf(gmdesk.pid);
    const durationMs = settings.seconds * 1000;

    // Raw COPY: the same lines, the same table and columns, one transaction a batch.
    const copyStatement = `COPY chat_messages (realm_id, server_id, batch_id, line_index, channel, sender_account_id, recipient_account_id, body, sent_at) FROM STDIN`;
    let copyClient = 0;
    const raw = (name: string): Promise<WorkloadResult> =>
      drive(name, durationMs, async (sender, seq) => {
        const client = pgClients[copyClient++ % pgClients.length];
        const lines = makeLines(sender, settings.batchLines, seq);
        const serverId = servers[sender].id;
        const text = lines
          .map(
            (line, index) =>
              `${REALM}\t${serverId}\t${name}-${seq}\t${index}\t${line.channel}\t${copyText(line.sender)}\t` +
              `${copyText(line.recipient ?? null)}\t${copyText(line.body)}\t${line.sentAt}\n`,
          )
          .join('');
        await client.query('BEGIN');
        await pipeline(Readable.from([text]), client.query(copyFrom(copyStatement)));
        await client.query('COMMIT');
        return { lines: lines.length };
      });

    const gmdeskPid = gmdesk.pid;
    const url = gmdesk.url;
    const results: WorkloadResult[] = [];
    log('\nraw COPY (baseline)…');
    results.push(await raw('raw COPY (1)'));
    log('gmdesk chat.batch over /game…');
    results.push(
      await drive(
        'gmdesk /game chat.batch',
        durationMs,
        async (sender, seq) => {
          const ack = await clients[sender].sendChatBatch(
            { batchId: `socket-${seq}`, lines: makeLines(sender, settings.batchLines, seq) },
            { timeoutMs: 60_000 },
          );
          if (!ack.ok) {
            throw new Error(`${ack.error.code}: ${ack.error.message}`);
          }
          return { lines: ack.accepted, retryAfterMs: ack.retryAfterMs };
        },
        gmdeskPid,
      ),
    );
    log('gmdesk POST /chat/batches…');
    results.push(
      await drive(
        'gmdesk POST /chat/batches',
        durationMs,
        async (sender, seq) => {
          const response = await fetch(`${url}/chat/batches`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `ApiKey ${servers[sender].apiKey}`,
            },
            body: JSON.stringify({
              batchId: `rest-${seq}`,
              lines: makeLines(sender, settings.batchLines, seq),
            }),
          });
          const body = (await response.json()) as { accepted?: number; retryAfterMs?: number };
          if (!response.ok || body.accepted === undefined) {
            throw new Error(`HTTP ${response.status}: ${JSON.stringify(body).slice(0, 200)}`);
          }
          return { lines: body.accepted, retryAfterMs: body.retryAfterMs };
        },
        gmdeskPid,
      ),
    );
    log('raw COPY again (the table is larger now)…');
    results.push(await raw('raw COPY (2)'));
    const rssAfter = rssKbOf(gmdesk.pid);

    // Nothing acknowledged is missing, nothing is stored twice.
    const check = new Client({ connectionString: database.url });
    await check.connect();
    const stored = await check.query<{ socket: string; rest: string; dupes: string }>(
      `SELECT count(*) FILTER (WHERE batch_id LIKE 'socket-%') AS socket,
              count(*) FILTER (WHERE batch_id LIKE 'rest-%') AS rest,
              (SELECT count(*) FROM (SELECT 1 FROM chat_messages WHERE batch_id NOT LIKE 'raw%'
                 GROUP BY server_id, batch_id, line_index HAVING count(*) > 1) AS d) AS dupes
         FROM chat_messages`,
    );
    await check.end();
    const row = stored.rows[0];
    const baseline = (results[0].linesPerSecond + results[3].linesPerSecond) / 2;
    const integrity = {
      socketAcked: results[1].lines,
      socketStored: Number(row.socket),
      restAcked: results[2].lines,
      restStored: Number(row.rest),
      duplicateLines: Number(row.dupes),
    };

    const fmt = (value: number | undefined, digits = 1): string =>
      value === undefined ? '—' : value.toFixed(digits);
    log(
      `\n${table(
        [
          'workload',
          'lines/s',
          'batches',
          'ack p50 ms',
          'ack p99 ms',
          'errors',
          'slow-down hints',
          'gmdesk CPU ms/batch',
          'vs raw COPY',
        ],
        results.map((result) => [
          result.name,
          Math.round(result.linesPerSecond).toLocaleString('en-US'),
          String(result.batches),
          fmt(result.ack.p50, 2),
          fmt(result.ack.p99, 2),
          String(result.errors),
          String(result.retryHints),
          fmt(result.gmdeskCpuMsPerBatch, 2),
          result.name.startsWith('raw')
            ? '—'
            : `${((result.linesPerSecond / baseline) * 100).toFixed(0)} % (target ≥ ${TARGET_RATIO * 100} %: ${
                result.linesPerSecond / baseline >= TARGET_RATIO ? 'PASS' : 'FAIL'
              })`,
        ]),
      )}`,
    );
    log(
      `\nraw COPY baseline: ${Math.round(baseline).toLocaleString('en-US')} lines/s (mean of the two runs)`,
    );
    log(
      `integrity: socket acked ${integrity.socketAcked}, stored ${integrity.socketStored}; REST acked ${integrity.restAcked}, stored ${integrity.restStored}; duplicate lines ${integrity.duplicateLines}`,
    );
    log(
      `gmdesk RSS: ${fmt((rssBefore ?? 0) / 1024)} MiB before, ${fmt((rssAfter ?? 0) / 1024)} MiB after`,
    );
    mkdirSync(RESULTS, { recursive: true });
    const file = join(
      RESULTS,
      `ingest-${new Date(started).toISOString().replace(/[:.]/g, '-')}.json`,
    );
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          bench: 'ingest',
          startedAt: new Date(started).toISOString(),
          machine: {
            cores: cpus().length,
            cpu: cpus()[0]?.model ?? 'unknown',
            memoryMb: Math.round(totalmem() / 2 ** 20),
            kernel: release(),
            node: process.version,
            loadAverageAtEnd: loadavg(),
          },
          settings,
          baselineLinesPerSecond: baseline,
          results,
          integrity,
          rssKb: { before: rssBefore, after: rssAfter },
        },
        null,
        2,
      )}\n`,
    );
    log(`written: ${file} (${seconds(started)})`);
  } finally {
    await withTimeout(cleanup(), 60_000, 'cleanup').catch((error: unknown) => {
      log(`cleanup: ${(error as Error).message}`);
    });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
