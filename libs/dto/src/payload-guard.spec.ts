import {
  DEFAULT_PAYLOAD_BYTES,
  inspectPayload,
  isPlainObject,
  MAX_PAYLOAD_DEPTH,
  PayloadBudget,
  payloadBudgetOf,
} from './payload-guard';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) {
    value = { a: value };
  }
  return value;
}

describe('inspectPayload', () => {
  const sut = inspectPayload;

  it('passes an ordinary request body', () => {
    expect(
      sut({ category: 'spam', location: { zone: 'Harbor', x: 1 }, tags: ['a', 'b'], note: null }),
    ).toBeNull();
  });

  it('passes a request without a body', () => {
    expect(sut(undefined)).toBeNull();
  });

  it('passes a body nested exactly as deep as allowed', () => {
    expect(sut(nested(MAX_PAYLOAD_DEPTH))).toBeNull();
  });

  it('refuses a body nested one level deeper, naming where', () => {
    expect(sut(nested(MAX_PAYLOAD_DEPTH + 1))).toEqual({
      kind: 'invalid',
      problem: {
        field: Array.from({ length: MAX_PAYLOAD_DEPTH }, () => 'a').join('.'),
        problem: `nests deeper than ${MAX_PAYLOAD_DEPTH} levels`,
      },
    });
  });

  it('counts arrays as levels too, and names them by index', () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_PAYLOAD_DEPTH + 1; i += 1) {
      value = [value];
    }

    const found = sut({ lines: value });

    expect(found?.kind === 'invalid' && found.problem.field).toMatch(/^lines(\[0\])+$/);
  });

  it('walks a body nested far beyond the limit without overflowing the stack', () => {
    expect(sut(nested(100_000))).not.toBeNull();
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key wherever it is, as an unknown property',
    (key) => {
      const body = JSON.parse(`{"location":{"zone":"z","${key}":{"polluted":true}}}`) as unknown;

      expect(sut(body)).toEqual({
        kind: 'invalid',
        problem: { field: `location.${key}`, problem: `property ${key} should not exist` },
      });
    },
  );

  it('passes keys that merely contain a prototype word', () => {
    expect(sut({ constructorName: 'x', my__proto__: 1 })).toBeNull();
  });

  describe('values JSON.parse never makes', () => {
    it.each([
      ['a Buffer', Buffer.alloc(1_900_000)],
      ['a typed array', new Uint8Array(4)],
      ['an ArrayBuffer', new ArrayBuffer(8)],
      ['a DataView', new DataView(new ArrayBuffer(2))],
    ])(
      'refuses %s (a socket.io binary attachment) as binary data, naming where',
      (_what, value) => {
        expect(sut({ category: 'stuck', subject: value }, { maxBytes: 1024 })).toEqual({
          kind: 'invalid',
          problem: { field: 'subject', problem: 'must be JSON data, not binary data' },
        });
      },
    );

    it.each([
      ['a Date', new Date(0)],
      ['a Map', new Map([['a', 1]])],
      ['a class instance', new (class Location {})()],
      ['an Array subclass', new (class Lines extends Array<number> {})()],
    ])('refuses %s as an instance', (_what, value) => {
      expect(sut({ location: value })).toEqual({
        kind: 'invalid',
        problem: { field: 'location', problem: 'must be JSON data, not an instance' },
      });
    });

    it('never lists the keys of a Buffer, whatever its size', () => {
      const listed: string[] = [];
      const buffer = new Proxy(Buffer.alloc(1_900_000), {
        ownKeys(target) {
          listed.push('ownKeys');
          return Reflect.ownKeys(target);
        },
        getOwnPropertyDescriptor(target, property) {
          listed.push(String(property));
          return Reflect.getOwnPropertyDescriptor(target, property);
        },
      });

      expect(sut({ subject: buffer }, { maxBytes: DEFAULT_PAYLOAD_BYTES })?.kind).toBe('invalid');
      expect(sut(buffer)?.kind).toBe('invalid');
      expect(listed).toEqual([]);
    });
  });

  describe('size budget', () => {
    it('measures a payload as its compact JSON', () => {
      const payload = { zone: 'Härbor', x: -12.5, ok: true, none: null, tags: ['a', 'bc'] };
      const bytes = Buffer.byteLength(JSON.stringify(payload));

      expect(sut(payload, { maxBytes: bytes })).toBeNull();
      expect(sut(payload, { maxBytes: bytes - 1 })).toEqual({
        kind: 'too_large',
        limitBytes: bytes - 1,
      });
    });

    it('refuses a long array from its length alone, before visiting its items', () => {
      const items = new Array<number>(150_000).fill(7);
      const visited = new Proxy(items, {
        get(target, property, receiver) {
          if (typeof property === 'string' && /^\d+$/.test(property)) {
            throw new Error('an item was visited');
          }
          return Reflect.get(target, property, receiver) as unknown;
        },
      });

      expect(sut(visited, { maxBytes: DEFAULT_PAYLOAD_BYTES })).toEqual({
        kind: 'too_large',
        limitBytes: DEFAULT_PAYLOAD_BYTES,
      });
    });

    it('stops at the first byte over the budget inside a nested value', () => {
      const payload = { location: { zone: 'z'.repeat(DEFAULT_PAYLOAD_BYTES) } };

      expect(sut(payload, { maxBytes: DEFAULT_PAYLOAD_BYTES })?.kind).toBe('too_large');
    });

    it('refuses an array longer than the item limit, naming it', () => {
      expect(sut({ location: [1, 2, 3, 4] }, { maxArrayItems: 3 })).toEqual({
        kind: 'invalid',
        problem: { field: 'location', problem: 'must have at most 3 items' },
      });
      expect(sut({ location: [1, 2, 3] }, { maxArrayItems: 3 })).toBeNull();
    });

    it('has no size limit unless one is given', () => {
      expect(sut({ body: 'x'.repeat(1_000_000) })).toBeNull();
    });
  });
});

describe('payloadBudgetOf', () => {
  it('is 64 KiB and arrays of 1,000 items for a DTO that does not say otherwise', () => {
    class PlainDto {}

    expect(payloadBudgetOf(PlainDto)).toEqual({ bytes: 64 * 1024, arrayItems: 1000 });
  });

  it('is what @PayloadBudget says for a DTO that needs more, per limit', () => {
    @PayloadBudget({ bytes: 2 * 1024 * 1024, arrayItems: 5000 })
    class BigBatchDto {}
    @PayloadBudget({ bytes: 128 * 1024 })
    class LongTextDto {}

    expect(payloadBudgetOf(BigBatchDto)).toEqual({ bytes: 2 * 1024 * 1024, arrayItems: 5000 });
    expect(payloadBudgetOf(LongTextDto)).toEqual({ bytes: 128 * 1024, arrayItems: 1000 });
  });
});

describe('isPlainObject', () => {
  it.each([
    ['an object literal', {}, true],
    ['a null-prototype object (Express query)', Object.create(null) as object, true],
    ['an array', [], false],
    ['null', null, false],
    ['a string', 'x', false],
    ['a class instance', new (class Thing {})(), false],
  ])('says %s is %s', (_label, value, expected) => {
    expect(isPlainObject(value)).toBe(expected);
  });
});
