import { Decoder, Encoder, PacketType, protocol, type Packet } from 'socket.io-parser';

/**
 * What the payload of a binary packet is replaced with before any handler sees it: an instance
 * (never JSON data), so that a handler which did not expect it would refuse it anyway.
 */
class RefusedBinaryPayload {}
export const BINARY_PAYLOAD: unknown = Object.freeze(new RefusedBinaryPayload());

/** socket.io-parser's own bound on the attachments of one packet. */
const MAX_ATTACHMENTS = 10;

/**
 * A socket.io decoder that refuses binary packets as they arrive. No gmdesk event takes binary
 * data, and socket.io turns every attachment (up to 10 of 2 MB per event) into a Buffer inside the
 * payload, where later steps would walk it like JSON. Here a binary packet is decoded as its
 * text-only twin (same namespace, same ack id, so the refusal reaches the right handler and ack)
 * with its arguments replaced by BINARY_PAYLOAD; its attachment frames are dropped as they come,
 * never buffered. The handlers answer it with `validation_failed` (GatewayIoAdapter).
 */
export class JsonOnlyDecoder extends Decoder {
  /** Frames of the refused packet still to come. */
  private attachmentsToDrop = 0;
  /** Decodes the text-only twin; it never sees binary frames. */
  private readonly twins = new Decoder();
  private twin: Packet | undefined;

  constructor() {
    super();
    this.twins.on('decoded', (packet: Packet) => {
      this.twin = packet;
    });
  }

  override add(chunk: unknown): void {
    if (typeof chunk !== 'string') {
      if (this.attachmentsToDrop > 0) {
        this.attachmentsToDrop -= 1;
        return;
      }
      // Binary without a packet announcing it: socket.io-parser's protocol error (the
      // connection closes), as before.
      super.add(chunk);
      return;
    }
    if (this.attachmentsToDrop > 0) {
      throw new Error('got plaintext data when reconstructing a packet');
    }
    const type = Number(chunk.charAt(0)) as PacketType;
    if (type !== PacketType.BINARY_EVENT && type !== PacketType.BINARY_ACK) {
      super.add(chunk);
      return;
    }
    // `5<attachments>-<namespace,><ack id><json>`: the twin is `2<namespace,><ack id><json>`.
    const header = /^\d(\d{1,2})-/.exec(chunk);
    const attachments = Number(header?.[1]);
    if (!header || !(attachments >= 1 && attachments <= MAX_ATTACHMENTS)) {
      throw new Error('Illegal attachments');
    }
    const isEvent = type === PacketType.BINARY_EVENT;
    this.twin = undefined;
    this.twins.add(
      `${isEvent ? PacketType.EVENT : PacketType.ACK}${chunk.slice(header[0].length)}`,
    );
    const twin = this.twin as Packet | undefined;
    if (!twin) {
      throw new Error('invalid payload');
    }
    this.attachmentsToDrop = attachments;
    const data = twin.data as unknown[];
    this.emitReserved('decoded', {
      ...twin,
      data: isEvent ? [data[0], BINARY_PAYLOAD] : [BINARY_PAYLOAD],
    });
  }

  override destroy(): void {
    this.attachmentsToDrop = 0;
    super.destroy();
  }
}

/** socket.io's `parser` option: its own encoder, the decoder above. */
export const jsonOnlyParser = { protocol, PacketType, Encoder, Decoder: JsonOnlyDecoder };
