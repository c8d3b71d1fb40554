import { NotYet, Page } from '../../../ui/page';

export function SanctionsPage() {
  return (
    <Page title="Sanctions" description="Issued sanctions and their enforcement on game servers.">
      <NotYet>
        The sanction list and the per-server enforcement status need `GET /sanctions` (filtered,
        paginated) and a staff event when a game server acknowledges a sanction; the sanction dialog
        on a case comes with them.
      </NotYet>
    </Page>
  );
}
