import { streams } from '@gmdesk/contracts';
import { DeliveryService } from '@gmdesk/delivery';
import { startTestContext, testConfig, type TestContext } from '@gmdesk/testing';
import { DataSource } from 'typeorm';
import { workerRole } from '../worker.role';
import { DeliveryRetentionJob } from './delivery-retention.job';
import { IdempotencyRetentionJob } from './idempotency-retention.job';

describe('retention jobs', () => {
  let app: TestContext;
  let db: DataSource;

  beforeAll(async () => {
    app = await startTestContext({
      config: testConfig({ deliveryRetentionHours: 24 }),
      roles: [workerRole],
    });
    db = app.app.get(DataSource);
  });

  afterAll(() => app.close());

  it('prunes stream events past the retention and records how far history is gone', async () => {
    const delivery = app.app.get(DeliveryService);
    const stream = streams.player('eu', 'retention');
    for (let i = 0; i < 3; i += 1) {
      await db.transaction((manager) => delivery.append(manager, stream, 'ticket.reply', { i }));
    }
    await db.query(
      `UPDATE delivery_events SET created_at = now() - interval '25 hours' WHERE stream = $1 AND seq <= 2`,
      [stream],
    );

    const sut = app.app.get(DeliveryRetentionJob);
    expect(await sut.runOnce()).toBe(2);
    expect((await delivery.readAfter(stream, 0)).map((event) => event.seq)).toEqual([3]);
    expect((await delivery.streamState(stream)).prunedThrough).toBe(2);
    expect(await sut.runOnce()).toBe(0);
  });

  it('forgets idempotency keys older than a week and keeps recent ones', async () => {
    await db.query(
      `INSERT INTO idempotency_keys (scope, key, request_hash, response_status, response_body, created_at)
       VALUES ('player:eu:a', 'old', 'h', 201, '{}', now() - interval '8 days'),
              ('player:eu:a', 'new', 'h', 201, '{}', now() - interval '1 day')`,
    );
    expect(await app.app.get(IdempotencyRetentionJob).runOnce()).toBe(1);
    const keys: { key: string }[] = await db.query(`SELECT key FROM idempotency_keys ORDER BY key`);
    expect(keys.map((row) => row.key)).toEqual(['new']);
  });
});
