import type { StaffClient } from '@gmdesk/sdk';
import { createContext, useContext } from 'react';

/**
 * The signed-in console's live connection (the SDK's StaffClient), for features that talk on the
 * socket (presence, typing). The app shell owns it (src/app/live-events.ts); undefined while
 * signed out.
 */
export const StaffClientContext = createContext<StaffClient | undefined>(undefined);

export function useStaffClient(): StaffClient | undefined {
  return useContext(StaffClientContext);
}
