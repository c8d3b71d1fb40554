import type { CapturedStatement, GmdeskProcess } from './gmdesk-process';

export interface BareQuery {
  readonly text: string;
  readonly values: unknown[];
  readonly idIndex?: number;
  /** `captured`: the statement gmdesk sent; `fallback`: hand-written (capture found none). */
  readonly source: 'captured' | 'fallback';
  /**
   * ticket-view: the view's other statements about the same ticket (its messages, a case's
   * reports), run after the lookup with the ticket id in the same place: the bare endpoint does
   * the same database work as the view, not a lighter subset of it.
   */
  readonly also?: readonly {
    readonly text: string;
    readonly values: unknown[];
    readonly idIndex: number;
  }[];
}

export type BareQueries = Record<'queue-moderation' | 'queue-support' | 'ticket-view', BareQuery>;

const FROM_TICKETS = /\bfrom\s+"?tickets"?(\s|$)/i;

/** The listing's main query: the statement reading `tickets` with a LIMIT. */
export function pickQueueQuery(
  statements: readonly CapturedStatement[],
): CapturedStatement | undefined {
  return statements.find(
    (statement) => FROM_TICKETS.test(statement.text) && /\blimit\b/i.test(statement.text),
  );
}

/** The primary-key lookup: the first statement reading `tickets` with the ticket id as a parameter. */
export function pickTicketLookup(
  statements: readonly CapturedStatement[],
  ticketId: string,
): { statement: CapturedStatement; idIndex: number } | undefined {
  for (const statement of statements) {
    const idIndex = statement.values.indexOf(ticketId);
    if (FROM_TICKETS.test(statement.text) && idIndex >= 0) {
      return { statement, idIndex };
    }
  }
  return undefined;
}

async function get(url: string, token: string): Promise<void> {
  const response = await fetch(url, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    throw new Error(`GET ${url}: ${response.status} ${await response.text()}`);
  }
  await response.arrayBuffer();
}

/**
 * Makes one request of each read workload to gmdesk and keeps the SQL it ran, so the bare server
 * runs exactly that statement (text and parameters) and not a paraphrase. Falls back to a
 * hand-written equivalent, marked as such, when no statement matches.
 */
export async function captureBareQueries(
  gmdesk: GmdeskProcess,
  staffToken: string,
  sampleTicketId: string,
): Promise<BareQueries> {
  const queue = async (kind: 'moderation' | 'support'): Promise<BareQuery> => {
    const { statements } = await gmdesk.capture(() =>
      get(`${gmdesk.url}/tickets?kind=${kind}&limit=25`, staffToken),
    );
    const found = pickQueueQuery(statements);
    return found
      ? { text: found.text, values: found.values, source: 'captured' }
      : {
          text: `SELECT * FROM tickets WHERE kind = $1 ORDER BY priority_rank ASC, created_at ASC, id ASC LIMIT 26`,
          values: [kind],
          source: 'fallback',
        };
  };
  const moderation = await queue('moderation');
  const support = await queue('support');
  const { statements } = await gmdesk.capture(() =>
    get(`${gmdesk.url}/tickets/${sampleTicketId}`, staffToken),
  );
  const lookup = pickTicketLookup(statements, sampleTicketId);
  const also = statements
    .filter((statement) => statement !== lookup?.statement)
    .flatMap((statement) => {
      const idIndex = statement.values.indexOf(sampleTicketId);
      return idIndex >= 0 ? [{ text: statement.text, values: statement.values, idIndex }] : [];
    });
  return {
    'queue-moderation': moderation,
    'queue-support': support,
    'ticket-view': lookup
      ? {
          text: lookup.statement.text,
          values: lookup.statement.values,
          idIndex: lookup.idIndex,
          source: 'captured',
          also,
        }
      : {
          text: 'SELECT * FROM tickets WHERE id = $1',
          values: [sampleTicketId],
          idIndex: 0,
          source: 'fallback',
        },
  };
}
