import type { ColleagueTypingEvent, StaffTypingEvent } from '@gmdesk/contracts';
import { PlayerClient, StaffClient } from '@gmdesk/sdk';
import { ApiTestContext, type TestRealm, type TestStaff } from '../../support/api-context';

/**
 * Typing indicators (issue 13): staff typing reaches the other staff viewing the ticket (with who,
 * and whether it is a note) and, for replies only, the player; the player's typing reaches the
 * staff viewing their ticket.
 */
describe('typing indicators between staff, and from the player', () => {
  let sut: ApiTestContext;
  let realm: TestRealm;
  let agent: TestStaff;
  let moderator: TestStaff;
  const clients: { close(): void }[] = [];

  beforeAll(async () => {
    sut = await ApiTestContext.start({}, { gateway: true });
    realm = await sut.newRealm();
    agent = await sut.newStaff('agent');
    moderator = await sut.newStaff('moderator');
  });

  afterEach(() => clients.splice(0).forEach((client) => client.close()));
  afterAll(() => sut.close());

  const staffClient = async (staff: TestStaff): Promise<StaffClient> => {
    const client = new StaffClient({ baseUrl: sut.url, token: staff.token });
    clients.push(client);
    await client.connect({ timeoutMs: 10_000 });
    return client;
  };

  /** A player with a support ticket open, connected. */
  const playerWithTicket = async (): Promise<{ player: PlayerClient; ticketId: string }> => {
    const token = (await sut.newPlayer(realm)).token;
    const player = new PlayerClient({ baseUrl: sut.url, token });
    clients.push(player);
    await player.connect({ timeoutMs: 10_000 });
    const opened = await player.openTicket({ category: 'stuck', subject: 'Stuck', body: 'Help' });
    if (!opened.ok) {
      throw new Error(opened.error.message);
    }
    return { player, ticketId: opened.ticket.id };
  };

  it('tells the other staff viewers who is typing, and the player only about replies', async () => {
    const { player, ticketId } = await playerWithTicket();
    const first = await staffClient(agent);
    const second = await staffClient(moderator);
    await first.watchTicket(ticketId);
    await second.watchTicket(ticketId);
    const ownEcho: ColleagueTypingEvent[] = [];
    second.on('staff.typing', (event) => void ownEcho.push(event));
    const toPlayer: StaffTypingEvent[] = [];
    player.on('staff.typing', (event) => void toPlayer.push(event));

    const note = first.waitFor('staff.typing', { match: (event) => event.internal });
    expect(await second.typing(ticketId, { internal: true })).toMatchObject({ ok: true });
    expect(await note).toEqual({
      ticketId,
      staffId: moderator.id,
      displayName: 'Test moderator',
      internal: true,
    });
    const reply = first.waitFor('staff.typing', { match: (event) => !event.internal });
    const playerSees = player.waitFor('staff.typing');
    expect(await second.typing(ticketId)).toMatchObject({ ok: true });

    expect((await reply).staffId).toBe(moderator.id);
    expect(await playerSees).toEqual({ ticketId });
    // A marker after both: typing on the player's other ticket, relayed in order behind them.
    const marker = await player.openTicket({ category: 'stuck', subject: 'Also', body: 'Help' });
    if (!marker.ok) {
      throw new Error(marker.error.message);
    }
    const markerSeen = player.waitFor('staff.typing', {
      match: (event) => event.ticketId === marker.ticket.id,
    });
    await second.typing(marker.ticket.id);
    await markerSeen;
    // The player heard of the reply only, never of the note.
    expect(toPlayer).toEqual([{ ticketId }, { ticketId: marker.ticket.id }]);
    // The typist's own connection is not told about itself.
    expect(ownEcho).toEqual([]);
  });

  it('tells the staff viewing a ticket that its player is typing, and nobody else', async () => {
    const { player, ticketId } = await playerWithTicket();
    const other = await playerWithTicket();
    const viewer = await staffClient(agent);
    await viewer.watchTicket(ticketId);
    await viewer.watchTicket(other.ticketId);
    const seen: string[] = [];
    viewer.on('player.typing', (event) => void seen.push(event.ticketId));

    const typing = viewer.waitFor('player.typing');
    expect(await player.typing(ticketId)).toMatchObject({ ok: true });
    expect(await typing).toEqual({ ticketId });
    // Someone else's ticket is "not found" to this player; nothing is relayed for it.
    const refused = await player.typing(other.ticketId);
    const next = viewer.waitFor('player.typing');
    expect(await other.player.typing(other.ticketId)).toMatchObject({ ok: true });
    await next;

    expect(refused).toMatchObject({ ok: false, error: { code: 'ticket_not_found' } });
    expect(seen).toEqual([ticketId, other.ticketId]);
  });
});
