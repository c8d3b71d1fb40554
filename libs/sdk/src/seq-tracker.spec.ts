import { SeqTracker, type ReceiveResult, type Sequenced } from './seq-tracker';

interface TestEvent extends Sequenced {
  readonly label: string;
}

const EPOCH = 'epoch-a';
const event = (seq: number, epoch = EPOCH): TestEvent => ({ epoch, seq, label: `${epoch}#${seq}` });

/** Processes what is ready the way the client does: skip what is not new, mark the rest. */
function processAll(sut: SeqTracker<TestEvent>, events: readonly TestEvent[]): number[] {
  const processed: number[] = [];
  for (const candidate of events) {
    if (sut.isNew(candidate)) {
      processed.push(candidate.seq);
      sut.markProcessed(candidate);
    }
  }
  return processed;
}

function readyEvents(result: ReceiveResult<TestEvent>): readonly TestEvent[] {
  if (result.kind !== 'ready') {
    throw new Error(`expected ready, got ${result.kind}`);
  }
  return result.events;
}

describe('SeqTracker', () => {
  it('asks a fresh client to resume from 0 without an epoch', () => {
    const sut = new SeqTracker<TestEvent>();

    expect(sut.resumeRequest()).toEqual({ lastSeq: 0 });
  });

  it('resumes from the stored position, epoch included', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 7 });

    expect(sut.resumeRequest()).toEqual({ epoch: EPOCH, lastSeq: 7 });
  });

  it('processes live events in arrival order and drops a duplicate that carries the same seq', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 2 });

    const processed = [event(3), event(4), event(4), event(2), event(5)].flatMap((incoming) =>
      processAll(sut, readyEvents(sut.receive(incoming))),
    );

    expect(processed).toEqual([3, 4, 5]);
    expect(sut.position).toEqual({ epoch: EPOCH, lastSeq: 5 });
  });

  it('holds events during a resume and releases them in seq order, each once', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 5 });
    sut.beginResume();

    // The gateway starts live delivery at connect, so live 11 overtakes the replay of 6..11.
    const arrivals = [event(11), event(6), event(7), event(8), event(9), event(10), event(11)];
    for (const incoming of arrivals) {
      expect(sut.receive(incoming)).toEqual({ kind: 'held' });
    }
    const released = sut.completeResume({ epoch: EPOCH, lastSeq: 11, resync: false });

    expect(released.map((e) => e.seq)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(processAll(sut, released)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(sut.resuming).toBe(false);
  });

  it('does not release held events the client had already processed', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 5 });
    sut.beginResume();
    [event(4), event(5), event(6)].forEach((incoming) => sut.receive(incoming));

    const released = sut.completeResume({ epoch: EPOCH, lastSeq: 6, resync: false });

    expect(released.map((e) => e.seq)).toEqual([6]);
  });

  it('delivers live events directly again once the resume completed', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 1 });
    sut.beginResume();
    processAll(sut, sut.completeResume({ epoch: EPOCH, lastSeq: 1, resync: false }));

    expect(readyEvents(sut.receive(event(2))).map((e) => e.seq)).toEqual([2]);
  });

  it('takes the epoch of the first replay for a fresh client', () => {
    const sut = new SeqTracker<TestEvent>();
    sut.beginResume();
    sut.receive(event(1));
    sut.receive(event(2));

    const released = sut.completeResume({ epoch: EPOCH, lastSeq: 2, resync: false });

    expect(processAll(sut, released)).toEqual([1, 2]);
    expect(sut.resumeRequest()).toEqual({ epoch: EPOCH, lastSeq: 2 });
  });

  it('adopts the server position on a re-sync and drops the held events the snapshot covers', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 3 });
    sut.beginResume();
    [event(40), event(41), event(42)].forEach((incoming) => sut.receive(incoming));

    const released = sut.completeResume({ epoch: EPOCH, lastSeq: 41, resync: true });

    expect(sut.position).toEqual({ epoch: EPOCH, lastSeq: 41 });
    expect(released.map((e) => e.seq)).toEqual([42]);
  });

  it('adopts a new epoch on a re-sync and ignores events of the old one', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 30 });
    sut.beginResume();
    sut.receive(event(31, EPOCH));
    sut.receive(event(2, 'epoch-b'));

    const released = sut.completeResume({ epoch: 'epoch-b', lastSeq: 1, resync: true });

    expect(sut.position).toEqual({ epoch: 'epoch-b', lastSeq: 1 });
    expect(released.map((e) => e.label)).toEqual(['epoch-b#2']);
    expect(sut.isNew(event(31, EPOCH))).toBe(false);
  });

  it('asks for a resume when a live event comes from another epoch, holding it and what follows', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 9 });

    expect(sut.receive(event(1, 'epoch-b'))).toEqual({ kind: 'resume_needed' });
    expect(sut.resuming).toBe(true);
    expect(sut.receive(event(2, 'epoch-b'))).toEqual({ kind: 'held' });
    // The resume is sent with the old position, so the server answers with a re-sync.
    expect(sut.resumeRequest()).toEqual({ epoch: EPOCH, lastSeq: 9 });

    const released = sut.completeResume({ epoch: 'epoch-b', lastSeq: 1, resync: true });

    expect(processAll(sut, released)).toEqual([2]);
    expect(sut.position).toEqual({ epoch: 'epoch-b', lastSeq: 2 });
  });

  it('keeps events held by an epoch change when the connect-time resume starts', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 9 });
    sut.receive(event(5, 'epoch-b'));

    sut.beginResume();
    const released = sut.completeResume({ epoch: 'epoch-b', lastSeq: 4, resync: true });

    expect(released.map((e) => e.label)).toEqual(['epoch-b#5']);
  });

  it('forgets held events when the resume is abandoned (the next resume replays them)', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 1 });
    sut.beginResume();
    sut.receive(event(2));

    sut.abandonResume();
    sut.beginResume();
    const released = sut.completeResume({ epoch: EPOCH, lastSeq: 2, resync: false });

    expect(released).toEqual([]);
    expect(sut.position).toEqual({ epoch: EPOCH, lastSeq: 1 });
  });

  it('advances to the server cursor after a replay, never backwards and never across epochs', () => {
    const sut = new SeqTracker<TestEvent>({ epoch: EPOCH, lastSeq: 10 });

    sut.advanceTo({ epoch: EPOCH, lastSeq: 8 });
    expect(sut.position.lastSeq).toBe(10);

    sut.advanceTo({ epoch: 'epoch-b', lastSeq: 50 });
    expect(sut.position).toEqual({ epoch: EPOCH, lastSeq: 10 });

    sut.advanceTo({ epoch: EPOCH, lastSeq: 25 });
    expect(sut.position).toEqual({ epoch: EPOCH, lastSeq: 25 });
    expect(sut.isNew(event(25))).toBe(false);
    expect(sut.isNew(event(26))).toBe(true);
  });
});
