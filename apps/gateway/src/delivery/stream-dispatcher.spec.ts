import type { ResumeRequest } from '@gmdesk/contracts';
import type { DeliveryService, StoredEvent, StreamState } from '@gmdesk/delivery';
import { planResume } from '@gmdesk/delivery';
import type { GatewaySocket } from '../socket/socket-session';
import { StreamDispatcher } from './stream-dispatcher';

/** An in-memory stream store with the DeliveryService surface the dispatcher uses. */
class FakeDelivery {
  readonly events: StoredEvent[] = [];
  state: StreamState = { stream: 'player:eu:a', epoch: 'e1', lastSeq: 0, prunedThrough: 0 };

  append(event: string, payload: unknown): void {
    const seq = this.state.lastSeq + 1;
    this.state = { ...this.state, lastSeq: seq };
    this.events.push({ stream: this.state.stream, seq, event, payload, createdAt: new Date(0) });
  }

  streamState(): Promise<StreamState> {
    return Promise.resolve(this.state);
  }

  planResume(_stream: string, request: ResumeRequest) {
    return Promise.resolve({ state: this.state, plan: planResume(this.state, request) });
  }

  readAfter(_stream: string, afterSeq: number, limit = 500): Promise<StoredEvent[]> {
    return Promise.resolve(this.events.filter((event) => event.seq > afterSeq).slice(0, limit));
  }
}

interface FakeSocket {
  readonly id: string;
  readonly data: GatewaySocket['data'];
  readonly conn: { writeBuffer: unknown[] };
  readonly emitted: { event: string; body: unknown }[];
  disconnected: boolean;
  emit(event: string, body: unknown): boolean;
  disconnect(): void;
}

function fakeSocket(id: string, bufferedPackets = 0): FakeSocket {
  return {
    id,
    data: {
      principal: { kind: 'player', accountId: 'a', realmId: 'eu', expiresAt: new Date() },
      stream: 'player:eu:a',
    },
    conn: { writeBuffer: new Array<unknown>(bufferedPackets).fill(null) },
    emitted: [],
    disconnected: false,
    emit(event, body) {
      this.emitted.push({ event, body });
      return true;
    },
    disconnect() {
      this.disconnected = true;
    },
  };
}

const asSocket = (socket: FakeSocket): GatewaySocket => socket as unknown as GatewaySocket;
const seqsOf = (socket: FakeSocket): number[] =>
  socket.emitted
    .filter((e) => e.event === 'ticket.reply')
    .map((e) => (e.body as { seq: number }).seq);

describe('StreamDispatcher', () => {
  let delivery: FakeDelivery;
  let sut: StreamDispatcher;

  beforeEach(() => {
    delivery = new FakeDelivery();
    sut = new StreamDispatcher(delivery as unknown as DeliveryService);
  });

  const attach = async (
    socket: FakeSocket,
    accepts?: (event: StoredEvent) => boolean,
  ): Promise<void> => {
    socket.data.attached = sut.attach(asSocket(socket), accepts);
    await socket.data.attached;
  };

  it('delivers nothing before resume, then the missed events in order, the resumed marker, and live events after', async () => {
    delivery.append('ticket.reply', { n: 1 });
    const socket = fakeSocket('s1');
    await attach(socket);
    delivery.append('ticket.reply', { n: 2 });
    sut.onHint('player:eu:a');
    expect(socket.emitted).toEqual([]);

    const ack = await sut.resume(asSocket(socket), { lastSeq: 0 });
    expect(ack).toMatchObject({ ok: true, resync: false, epoch: 'e1', replayed: 2, lastSeq: 2 });
    expect(socket.emitted.map((e) => e.event)).toEqual(['ticket.reply', 'ticket.reply', 'resumed']);

    delivery.append('ticket.reply', { n: 3 });
    sut.onHint('player:eu:a');
    await sut.resume(asSocket(socket), { epoch: 'e1', lastSeq: 3 }); // queued after the pump: waits for it
    expect(seqsOf(socket)).toEqual([1, 2, 3]);
  });

  it('skips events a filter rejects but still moves past them', async () => {
    delivery.append('ticket.reply', { realmId: 'eu' });
    delivery.append('ticket.reply', { realmId: 'us' });
    delivery.append('ticket.reply', { realmId: 'eu' });
    const socket = fakeSocket('s1');
    await attach(socket, (event) => (event.payload as { realmId: string }).realmId === 'eu');
    const ack = await sut.resume(asSocket(socket), { lastSeq: 0 });
    expect(seqsOf(socket)).toEqual([1, 3]);
    expect(ack).toMatchObject({ replayed: 2, lastSeq: 3 });
  });

  it('answers a resume from another epoch with an explicit re-sync and delivers live from there', async () => {
    delivery.append('ticket.reply', {});
    const socket = fakeSocket('s1');
    await attach(socket);
    expect(await sut.resume(asSocket(socket), { epoch: 'old', lastSeq: 7 })).toMatchObject({
      resync: true,
      reason: 'epoch_changed',
      lastSeq: 1,
    });
    expect(socket.emitted).toEqual([]);
    delivery.append('ticket.reply', {});
    sut.onHint('player:eu:a');
    await sut.resume(asSocket(socket), { epoch: 'e1', lastSeq: 2 });
    expect(seqsOf(socket)).toEqual([2]);
  });

  it('disconnects a slow consumer with a retryable reason instead of buffering more', async () => {
    delivery.append('ticket.reply', {});
    const socket = fakeSocket('s1', 5000);
    await attach(socket);
    await expect(sut.resume(asSocket(socket), { lastSeq: 0 })).rejects.toThrow('slow consumer');
    expect(socket.emitted[0]).toEqual({
      event: 'session.closing',
      body: { code: 'slow_consumer', message: expect.any(String), retry: true },
    });
    expect(socket.disconnected).toBe(true);
  });

  it('does not register a socket that disconnected while it was being attached', async () => {
    const socket = fakeSocket('s1');
    socket.data.closed = true;
    await attach(socket);
    expect(sut.localSocketCount()).toBe(0);
  });

  it('answers history_pruned when events vanish between planning and reading (retention ran meanwhile)', async () => {
    delivery.append('ticket.reply', {});
    delivery.append('ticket.reply', {});
    const socket = fakeSocket('s1');
    await attach(socket);
    delivery.events.shift(); // seq 1 pruned after the plan said "replay from 0"
    expect(await sut.resume(asSocket(socket), { epoch: 'e1', lastSeq: 0 })).toMatchObject({
      resync: true,
      reason: 'history_pruned',
    });
    expect(seqsOf(socket)).toEqual([]);
  });

  it('ends a session whose registration failed instead of leaving it silently deaf', async () => {
    const socket = fakeSocket('s1');
    socket.data.attached = Promise.resolve(); // registration "finished" without registering
    await expect(sut.resume(asSocket(socket), { lastSeq: 0 })).rejects.toThrow('not registered');
    expect(socket.emitted[0]).toMatchObject({
      event: 'session.closing',
      body: { code: 'unavailable', retry: true },
    });
  });

  it('limits how often one connection may resume', async () => {
    const socket = fakeSocket('s1');
    await attach(socket);
    for (let i = 0; i < 3; i += 1) {
      await sut.resume(asSocket(socket), { lastSeq: 0 });
    }
    await expect(sut.resume(asSocket(socket), { lastSeq: 0 })).rejects.toMatchObject({
      code: 'rate_limited',
    });
  });

  it('gives a client that never resumes live events from its connect time after the grace period', async () => {
    delivery.append('ticket.reply', {});
    const socket = fakeSocket('s1');
    await attach(socket);
    sut.startLiveWithoutResume(asSocket(socket));
    delivery.append('ticket.reply', {});
    sut.onHint('player:eu:a');
    sut.onHint('player:eu:a'); // a burst of hints: one read is enough
    await sut.resume(asSocket(socket), { epoch: 'e1', lastSeq: 2 }); // queued after the pump
    expect(seqsOf(socket)).toEqual([2]);
  });
});
