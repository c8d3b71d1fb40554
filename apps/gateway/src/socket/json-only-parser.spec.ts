import { Encoder, PacketType, type Packet } from 'socket.io-parser';
import { BINARY_PAYLOAD, JsonOnlyDecoder } from './json-only-parser';

/** Feeds what a client's encoder sends and collects what the server's decoder hands on. */
function decodeAll(packets: Packet[]): Packet[] {
  const sut = new JsonOnlyDecoder();
  const decoded: Packet[] = [];
  sut.on('decoded', (packet: Packet) => decoded.push(packet));
  const encoder = new Encoder();
  for (const packet of packets) {
    for (const chunk of encoder.encode(packet) as unknown[]) {
      sut.add(chunk);
    }
  }
  return decoded;
}

describe('JsonOnlyDecoder', () => {
  it('hands on a binary event as its event name and BINARY_PAYLOAD, keeping namespace and ack id', () => {
    const binary = {
      type: PacketType.EVENT,
      nsp: '/player',
      id: 7,
      data: ['ticket.create', { subject: Buffer.alloc(64), body: [new Uint8Array(2)] }],
    };

    expect(decodeAll([binary])).toEqual([
      { type: PacketType.EVENT, nsp: '/player', id: 7, data: ['ticket.create', BINARY_PAYLOAD] },
    ]);
  });

  it('drops the attachment frames, so the packets after them decode as usual', () => {
    const decoded = decodeAll([
      {
        type: PacketType.EVENT,
        nsp: '/player',
        id: 1,
        data: ['a', [Buffer.alloc(1), Buffer.alloc(2)]],
      },
      { type: PacketType.EVENT, nsp: '/player', id: 2, data: ['b', { ok: 1 }] },
      { type: PacketType.ACK, nsp: '/player', id: 3, data: [Buffer.alloc(1)] },
    ]);

    expect(decoded.map((packet): unknown[] => [packet.type, packet.id, packet.data])).toEqual([
      [PacketType.EVENT, 1, ['a', BINARY_PAYLOAD]],
      [PacketType.EVENT, 2, ['b', { ok: 1 }]],
      [PacketType.ACK, 3, [BINARY_PAYLOAD]],
    ]);
  });

  it.each([
    ['no attachments', '50-/player,["a",{}]'],
    ['more than socket.io allows', '511-/player,["a",{}]'],
    ['a malformed count', '5x-/player,["a",{}]'],
  ])('refuses a binary header with %s, like socket.io-parser', (_what, header) => {
    expect(() => new JsonOnlyDecoder().add(header)).toThrow('Illegal attachments');
  });

  it('refuses text while attachments are still due, like socket.io-parser', () => {
    const sut = new JsonOnlyDecoder();
    sut.add('51-/player,["a",{"_placeholder":true,"num":0}]');

    expect(() => sut.add('2/player,["b"]')).toThrow('plaintext');
  });
});
