import { REPORT_CATEGORIES, SUPPORT_CATEGORIES } from '@gmdesk/contracts';
import { SignJWT } from 'jose';
import type { RequestParams } from './load';
import { reporterAccount, targetAccount, type SeededData } from './seed';
import type { IntakeSettings, WorkloadName } from './settings';

/** Credentials and ids the request builders draw from. */
export interface WorkloadInputs {
  /** Bearer tokens of players wr1..wrR, in order. */
  readonly playerTokens: readonly string[];
  readonly staffTokens: readonly string[];
  readonly replyTicketIds: readonly string[];
  readonly viewTicketIds: readonly string[];
  readonly targets: number;
}

/** Player tokens as the game backend signs them: HS256 with the realm's secret (README). */
export async function signPlayerTokens(
  seeded: SeededData,
  settings: IntakeSettings,
): Promise<string[]> {
  const key = new TextEncoder().encode(seeded.realmSecret);
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let index = 0; index < settings.reporters; index += 1) {
    const account = reporterAccount(index);
    tokens.push(
      await new SignJWT({ realm: seeded.realmId, name: `Reporter ${index + 1}` })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(account)
        .setIssuedAt(now)
        .setExpirationTime(now + 2 * 3600)
        .sign(key),
    );
  }
  return tokens;
}

/** Staff tokens through the real login (POST /auth/login allows 10 a minute per IP: a few agents). */
export async function loginStaff(baseUrl: string, seeded: SeededData): Promise<string[]> {
  const tokens: string[] = [];
  for (const { username, password } of seeded.staff) {
    const response = await fetch(`${baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = (await response.json()) as { accessToken?: string };
    if (!response.ok || !body.accessToken) {
      throw new Error(
        `staff login as ${username} failed: ${response.status} ${JSON.stringify(body)}`,
      );
    }
    tokens.push(body.accessToken);
  }
  return tokens;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const pick = <T>(items: readonly T[], index: number): T => {
  const item = items[index % items.length];
  if (item === undefined) {
    throw new Error('workload: nothing to pick from');
  }
  return item;
};

/** Same text for gmdesk and the bare endpoint, about as long as a real report. */
const DESCRIPTION =
  'Kept teleporting around the boss and one-shotting the whole raid, then laughed about it in /say.';

/**
 * Request n of the report workload: reporter n mod R files against target n mod T (R and T
 * coprime), so no pair repeats (no merge), concurrent requests share neither a reporter (whose row
 * each filing locks) nor a case, and each reporter files at most once every R requests.
 */
export function reportBody(inputs: WorkloadInputs, n: number): string {
  return JSON.stringify({
    reportedPlayerId: targetAccount(n % inputs.targets),
    category: pick(REPORT_CATEGORIES, n),
    description: DESCRIPTION,
    occurredAt: new Date(Date.now() - 60_000).toISOString(),
    location: { zone: 'Molten Core' },
  });
}

export type RequestBuilder = () => RequestParams;

/**
 * The request builders of every workload, gmdesk and bare. Each keeps its own counter across its
 * warm-up and measured runs, so no report pair, ticket opener or reply is reused by a later run.
 */
export function gmdeskRequests(inputs: WorkloadInputs): Record<WorkloadName, RequestBuilder> {
  let reports = 0;
  let tickets = 0;
  let replies = 0;
  let reads = 0;
  return {
    reports: () => {
      const n = reports++;
      return {
        method: 'POST',
        path: '/reports',
        headers: { ...JSON_HEADERS, ...bearer(pick(inputs.playerTokens, n)) },
        body: reportBody(inputs, n),
      };
    },
    tickets: () => {
      const n = tickets++;
      return {
        method: 'POST',
        path: '/tickets',
        headers: { ...JSON_HEADERS, ...bearer(pick(inputs.playerTokens, n)) },
        body: JSON.stringify({
          category: pick(SUPPORT_CATEGORIES, n),
          subject: `Stuck under the map near the bank (${n})`,
          body: 'I fell through the floor near the bank and cannot move. Please help, my guild is waiting.',
          language: 'en',
        }),
      };
    },
    replies: () => {
      const n = replies++;
      return {
        method: 'POST',
        path: `/tickets/${pick(inputs.replyTicketIds, n)}/messages`,
        headers: { ...JSON_HEADERS, ...bearer(pick(inputs.staffTokens, n)) },
        body: JSON.stringify({
          body: 'Teleported you to the inn. Safe travels! If it happens again, tell us where exactly.',
        }),
      };
    },
    'queue-moderation': () => ({
      method: 'GET',
      path: '/tickets?kind=moderation&limit=25',
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
    'queue-support': () => ({
      method: 'GET',
      path: '/tickets?kind=support&limit=25',
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
    'ticket-view': () => ({
      method: 'GET',
      path: `/tickets/${pick(inputs.viewTicketIds, Math.floor(Math.random() * inputs.viewTicketIds.length))}`,
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
  };
}

export type BareEndpoint = 'insert' | 'queue-moderation' | 'queue-support' | 'ticket-view';

/** The bare server's requests: same bodies and headers as gmdesk's, its own paths. */
export function bareRequests(inputs: WorkloadInputs): Record<BareEndpoint, RequestBuilder> {
  let inserts = 0;
  let reads = 0;
  return {
    insert: () => {
      const n = inserts++;
      return {
        method: 'POST',
        path: '/insert',
        headers: { ...JSON_HEADERS, ...bearer(pick(inputs.playerTokens, n)) },
        body: reportBody(inputs, n),
      };
    },
    'queue-moderation': () => ({
      method: 'GET',
      path: '/queue/moderation',
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
    'queue-support': () => ({
      method: 'GET',
      path: '/queue/support',
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
    'ticket-view': () => ({
      method: 'GET',
      path: `/ticket/${pick(inputs.viewTicketIds, Math.floor(Math.random() * inputs.viewTicketIds.length))}`,
      headers: bearer(pick(inputs.staffTokens, reads++)),
    }),
  };
}

/** The bare endpoint a gmdesk workload is compared with. */
export const BASELINE_OF: Record<WorkloadName, BareEndpoint> = {
  reports: 'insert',
  tickets: 'insert',
  replies: 'insert',
  'queue-moderation': 'queue-moderation',
  'queue-support': 'queue-support',
  'ticket-view': 'ticket-view',
};
