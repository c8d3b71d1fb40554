/**
 * The bare baseline of `npm run bench:intake`, in its own process like gmdesk: `node:http` and a
 * `pg` Pool of gmdesk's size, nothing else (no framework, no auth, no validation library, no
 * logging). Configured through the environment:
 *
 *   BARE_DATABASE_URL, BARE_POOL_SIZE, BARE_PORT
 *   BARE_QUERIES  JSON { "queue-moderation" | "queue-support": { text, values },
 *                        "ticket-view": { text, values, idIndex } }
 *
 * Routes:
 *   POST /insert           parse the JSON body, one INSERT … RETURNING into bench_bare_writes, 201
 *   GET  /queue/<kind>     the queue query gmdesk ran for that kind (captured from it), 200 { items }
 *   GET  /ticket/<id>      the ticket lookup, with <id> as its id parameter, then the view's other
 *                          statements on that ticket (messages, a case's reports), 200 or 404
 *   GET  /health           200, for the bench to see it is up
 *
 * Stops on SIGTERM, or when the bench that started it is gone (its IPC channel closes).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'pg';

interface ReadQuery {
  readonly text: string;
  readonly values: unknown[];
  /** ticket-view: which parameter is the ticket id. */
  readonly idIndex?: number;
  /** ticket-view: the view's other statements on the same ticket, run after the lookup. */
  readonly also?: readonly { text: string; values: unknown[]; idIndex: number }[];
}

type Queries = Record<'queue-moderation' | 'queue-support' | 'ticket-view', ReadQuery>;

const INSERT = `INSERT INTO bench_bare_writes (realm_id, reporter, reported, category, description, occurred_at, location)
  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, created_at`;

const pool = new Pool({
  connectionString: process.env.BARE_DATABASE_URL,
  max: Number(process.env.BARE_POOL_SIZE ?? 10),
});
const queries = JSON.parse(process.env.BARE_QUERIES ?? '{}') as Partial<Queries>;

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

interface InsertBody {
  reportedPlayerId?: string;
  category?: string;
  description?: string;
  occurredAt?: string;
  location?: unknown;
}

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = request.url ?? '/';
  if (url === '/health') {
    send(response, 200, { ok: true });
    return;
  }
  if (request.method === 'POST' && url === '/insert') {
    const body = JSON.parse(await readBody(request)) as InsertBody;
    const { rows } = await pool.query<{ id: string; created_at: Date }>(INSERT, [
      'bench',
      'bare',
      body.reportedPlayerId,
      body.category,
      body.description,
      body.occurredAt,
      body.location === undefined ? null : JSON.stringify(body.location),
    ]);
    const row = rows[0];
    send(response, 201, { id: row.id, createdAt: row.created_at.toISOString(), status: 'open' });
    return;
  }
  if (request.method === 'GET' && url.startsWith('/queue/')) {
    const query =
      queries[`queue-${url.slice('/queue/'.length)}` as 'queue-moderation' | 'queue-support'];
    if (!query) {
      send(response, 404, { error: 'no such queue' });
      return;
    }
    const { rows } = await pool.query(query.text, query.values);
    send(response, 200, { items: rows });
    return;
  }
  if (request.method === 'GET' && url.startsWith('/ticket/')) {
    const query = queries['ticket-view'];
    if (!query) {
      send(response, 404, { error: 'no ticket query' });
      return;
    }
    const id = url.slice('/ticket/'.length);
    const values = [...query.values];
    values[query.idIndex ?? 0] = id;
    const { rows } = await pool.query(query.text, values);
    if (rows.length === 0) {
      send(response, 404, { error: 'not found' });
      return;
    }
    const related: unknown[][] = [];
    for (const statement of query.also ?? []) {
      const statementValues = [...statement.values];
      statementValues[statement.idIndex] = id;
      related.push((await pool.query(statement.text, statementValues)).rows);
    }
    send(response, 200, { ...rows[0], related });
    return;
  }
  send(response, 404, { error: 'not found' });
}

const server = createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    if (!response.headersSent) {
      send(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
});
server.keepAliveTimeout = 60_000;

server.listen(Number(process.env.BARE_PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`bare server listening on ${(server.address() as AddressInfo).port}\n`);
});

const stop = (): void => {
  server.closeAllConnections();
  server.close();
  void pool.end().finally(() => process.exit(0));
};
process.once('SIGTERM', stop);
// Started with an IPC channel: when the bench dies, the channel closes and we stop too.
process.once('disconnect', stop);
