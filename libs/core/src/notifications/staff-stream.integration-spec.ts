import { streams, type TicketSummaryEvent } from '@gmdesk/contracts';
import { TransactionRunner } from '@gmdesk/db';
import { DeliveryService } from '@gmdesk/delivery';
import { startTestContext, testConfig, withTimeout, type TestContext } from '@gmdesk/testing';
import { DataSource } from 'typeorm';
import { ClientEventsService } from './client-events.service';
import { NotificationsModule } from './notifications.module';

const summary = (subject: string): TicketSummaryEvent => ({
  ticketId: '00000000-0000-4000-8000-000000000001',
  realmId: 'eu',
  kind: 'support',
  status: 'new',
  priority: 'normal',
  category: 'stuck',
  subject,
  assigneeId: null,
  change: 'opened',
});

/**
 * The shared staff stream as the domain services write it (ClientEventsService.toStaff), on a real
 * database: a staff-visible write must not wait for another one that is still in progress.
 */
describe('staff events written by concurrent transactions', () => {
  let app: TestContext;
  let sut: ClientEventsService;
  let transactions: TransactionRunner;
  let delivery: DeliveryService;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestContext({
      config: testConfig(),
      roles: [{ name: 'notifications', module: NotificationsModule, serves: false }],
    });
    sut = app.app.get(ClientEventsService);
    transactions = app.app.get(TransactionRunner);
    delivery = app.app.get(DeliveryService);
    db = app.app.get(DataSource);
  });

  afterAll(() => app.close());

  it('commits a staff event while another transaction that wrote one stays open, and numbers both in commit order', async () => {
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let appended: () => void = () => undefined;
    const slowHasAppended = new Promise<void>((resolve) => (appended = resolve));

    // A slow request: writes its staff event, holds a row lock of its own, then keeps the
    // transaction open (other work, a slow client, a remote database) until released.
    const slow = transactions.run(async (manager) => {
      await sut.toStaff(manager, 'ticket.created', summary('slow'));
      await manager.query(`SELECT pg_advisory_xact_lock(4242)`);
      appended();
      await released;
    });
    try {
      await slowHasAppended;
      // Another request meanwhile: with the staff counter row locked until the slow COMMIT, it
      // would wait here until the slow one is released, which this test only does afterwards.
      await withTimeout(
        transactions.run((manager) => sut.toStaff(manager, 'ticket.created', summary('fast'))),
        10_000,
        'a staff event to commit while another transaction with a staff event is open',
      );
      const whileSlowIsOpen = await delivery.readAfter(streams.staff(), 0);
      expect(
        whileSlowIsOpen.map((e) => [e.seq, (e.payload as { subject: string }).subject]),
      ).toEqual([[1, 'fast']]);
    } finally {
      release();
      await slow;
    }
    const all = await delivery.readAfter(streams.staff(), 0);
    expect(all.map((e) => [e.seq, (e.payload as { subject: string }).subject])).toEqual([
      [1, 'fast'],
      [2, 'slow'],
    ]);
    const [pending] = await db.query<{ n: string }[]>(`SELECT count(*) AS n FROM delivery_pending`);
    expect(Number(pending?.n)).toBe(0);
  });
});
