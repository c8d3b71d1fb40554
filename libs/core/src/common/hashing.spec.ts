import { canonicalJson, constantTimeEquals, sha256 } from './hashing';

describe('canonicalJson', () => {
  const sut = canonicalJson;

  it('writes the same text whatever order the keys were added in', () => {
    expect(sut({ b: 1, a: 2, c: 3 })).toBe(sut({ c: 3, a: 2, b: 1 }));
  });

  it('sorts keys at every depth, inside arrays too', () => {
    const one = {
      outer: { z: [{ y: 1, x: 2 }], a: { d: null, c: 'c' } },
      list: [[{ q: 1, p: 2 }]],
    };
    const two = {
      list: [[{ p: 2, q: 1 }]],
      outer: { a: { c: 'c', d: null }, z: [{ x: 2, y: 1 }] },
    };

    expect(sut(one)).toBe(sut(two));
    expect(sut(one)).toBe(
      '{"list":[[{"p":2,"q":1}]],"outer":{"a":{"c":"c","d":null},"z":[{"x":2,"y":1}]}}',
    );
  });

  it('keeps the order of array items, because it is part of the value', () => {
    expect(sut([1, 2, 3])).not.toBe(sut([3, 2, 1]));
  });

  it('drops keys whose value is undefined, as JSON does', () => {
    expect(sut({ a: 1, gone: undefined, nested: { also: undefined, kept: 0 } })).toBe(
      '{"a":1,"nested":{"kept":0}}',
    );
  });

  it('hashes an object with an undefined key the same as the object without it', () => {
    expect(sut({ a: 1, b: undefined })).toBe(sut({ a: 1 }));
  });

  it('writes undefined inside an array as null, as JSON does', () => {
    expect(sut([1, undefined, 3])).toBe('[1,null,3]');
  });

  it('keeps null values, which differ from a missing key', () => {
    expect(sut({ a: null })).not.toBe(sut({}));
  });

  it('tells a number from a numeric string', () => {
    expect(sut({ a: 1 })).not.toBe(sut({ a: '1' }));
  });

  it('writes a date as its ISO string', () => {
    expect(sut({ at: new Date('2026-11-24T19:30:00Z') })).toBe('{"at":"2026-11-24T19:30:00.000Z"}');
  });

  it('escapes keys and strings so that no value can imitate the structure', () => {
    const tricky = { 'a":1,"b': 'x', quote: 'say "hi"\n' };

    expect(JSON.parse(sut(tricky))).toEqual(tricky);
    expect(sut(tricky)).not.toBe(sut({ a: 1, b: 'x', quote: 'say "hi"\n' }));
  });

  it('is valid JSON that parses back to the same value', () => {
    const value = { n: -1.5e-7, s: 'ü', t: true, f: false, z: null, e: [], o: {}, deep: [[[{}]]] };

    expect(JSON.parse(sut(value))).toEqual(value);
  });

  it('writes scalars at the top level as JSON does', () => {
    expect([sut('text'), sut(42), sut(true), sut(null), sut(undefined)]).toEqual([
      '"text"',
      '42',
      'true',
      'null',
      'null',
    ]);
  });
});

describe('sha256 of the canonical form', () => {
  it('gives the same digest for the same request written in a different key order', () => {
    const sut = (value: unknown): string => sha256(canonicalJson(value)).toString('hex');

    expect(sut({ category: 'spam', location: { zone: 'z', x: 1 } })).toBe(
      sut({ location: { x: 1, zone: 'z' }, category: 'spam' }),
    );
  });
});

describe('constantTimeEquals', () => {
  const sut = constantTimeEquals;

  it('accepts two equal buffers', () => {
    expect(sut(Buffer.from('secret'), Buffer.from('secret'))).toBe(true);
  });

  it('refuses buffers of the same length that differ', () => {
    expect(sut(Buffer.from('secret'), Buffer.from('secreT'))).toBe(false);
  });

  it('refuses buffers of different lengths instead of throwing', () => {
    expect(sut(Buffer.from('secret'), Buffer.from('secret!'))).toBe(false);
  });
});
