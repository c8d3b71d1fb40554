import type { MessageVisibility } from '@gmdesk/contracts';
import { useCallback, useState } from 'react';
import { newIdempotencyKey } from '../../../lib/api-client';

interface Draft {
  readonly body: string;
  /** One key per composed message: a retry of the same send reuses it. */
  readonly idempotencyKey: string;
}

/**
 * Drafts per case and mode (reply / note), kept while the GM moves between cases and through
 * other GMs' updates of the case. In memory for now: server-side drafts need an endpoint.
 */
const drafts = new Map<string, Draft>();

const fresh = (): Draft => ({ body: '', idempotencyKey: newIdempotencyKey('msg') });

export function useDraft(ticketId: string, mode: MessageVisibility) {
  const key = `${ticketId}:${mode}`;
  const [, setVersion] = useState(0);
  const draft = drafts.get(key) ?? fresh();
  if (!drafts.has(key)) {
    drafts.set(key, draft);
  }
  const setBody = useCallback(
    (body: string) => {
      const current = drafts.get(key) ?? fresh();
      drafts.set(key, { ...current, body });
      setVersion((version) => version + 1);
    },
    [key],
  );
  const reset = useCallback(() => {
    drafts.set(key, fresh());
    setVersion((version) => version + 1);
  }, [key]);
  return { body: draft.body, idempotencyKey: draft.idempotencyKey, setBody, reset };
}
