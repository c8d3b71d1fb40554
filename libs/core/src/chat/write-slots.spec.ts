import { WriteSlots } from './write-slots';

describe('WriteSlots', () => {
  it('lets `slots` writers in, queues `queue` more and refuses the rest', async () => {
    const slots = new WriteSlots(2, 1);
    const first = await slots.acquire();
    const second = await slots.acquire();
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    const third = slots.acquire();
    expect(slots.queued).toBe(1);
    expect(await slots.acquire()).toBeNull();

    first!();
    const handedOver = await third;
    expect(handedOver).not.toBeNull();
    expect(slots.inUse).toBe(2);
    expect(slots.queued).toBe(0);
  });

  it('frees a slot once however often its release is called', async () => {
    const slots = new WriteSlots(1, 0);
    const release = await slots.acquire();
    release!();
    release!();
    expect(slots.inUse).toBe(0);
    const again = await slots.acquire();
    expect(again).not.toBeNull();
    expect(slots.inUse).toBe(1);
    expect(await slots.acquire()).toBeNull();
  });
});
