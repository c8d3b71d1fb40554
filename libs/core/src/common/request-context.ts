import { AsyncLocalStorage } from 'node:async_hooks';

interface RequestContext {
  readonly requestId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/**
 * Runs `work` as part of one request (a REST call or a socket event), so that what it records,
 * audit entries above all, can name the request: the same id as the `X-Request-Id` header and
 * the log lines. Transports enter it; services only read it.
 */
export function runInRequestContext<T>(requestId: string, work: () => T): T {
  return storage.run({ requestId }, work);
}

/** The id of the request being handled, or null outside one (a worker job, a boot step). */
export function currentRequestId(): string | null {
  return storage.getStore()?.requestId ?? null;
}
