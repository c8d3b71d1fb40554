import { decodeCursor, encodeCursor, isCursorTimestamp, isCursorUuid } from './page';

describe('encodeCursor and decodeCursor', () => {
  it('round-trips the keyset values of a page', () => {
    const values = ['queue', 2, '2026-11-24T19:30:00.123Z', '5f0c2a8e-7d1b-4c1e-9a53-0b7d3c1f9e21'];

    const sut = decodeCursor(encodeCursor(values));

    expect(sut).toEqual(values);
  });

  it('round-trips strings that are not ASCII or contain JSON syntax', () => {
    const values = ['ünïcødé', '"],[', 0, -3.5];

    expect(decodeCursor(encodeCursor(values))).toEqual(values);
  });

  it('produces a cursor that is safe in a query string without escaping', () => {
    const sut = encodeCursor(['ÿÿÿ>>>???', 123456789]);

    expect(sut).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('decodeCursor', () => {
  const sut = decodeCursor;
  const encode = (text: string): string => Buffer.from(text).toString('base64url');

  it.each([
    ['an empty string', ''],
    ['text that is not base64', 'not a cursor!!'],
    ['base64 of text that is not JSON', encode('hello')],
    ['base64 of a JSON object', encode('{"id":"x"}')],
    ['base64 of a JSON string', encode('"abc"')],
    ['base64 of a JSON number', encode('42')],
    ['base64 of JSON null', encode('null')],
    ['base64 of an array holding an object', encode('[1,{"x":1}]')],
    ['base64 of an array holding null', encode('["a",null]')],
    ['base64 of an array holding a boolean', encode('["a",true]')],
    ['base64 of a nested array', encode('[["a"]]')],
    ['base64 of truncated JSON', encode('["a","b"')],
    ['base64 of a number too large to be finite', encode('["queue",1e999,"x"]')],
  ])('returns null for %s', (_label, cursor) => {
    expect(sut(cursor)).toBeNull();
  });
});

describe('isCursorTimestamp', () => {
  const sut = isCursorTimestamp;

  it('accepts a timestamp as a cursor writes it', () => {
    expect(sut(new Date('2026-11-24T19:30:00.123Z').toISOString())).toBe(true);
  });

  it.each([
    ['text', 'not-a-time'],
    ['an impossible date', '2026-13-45T99:99:99.000Z'],
    ['a date without a time', '2026-11-24'],
    ['a time with an offset instead of Z', '2026-11-24T20:30:00.000+01:00'],
    ['a number', 1764012600000],
    ['nothing', undefined],
  ])('refuses %s', (_label, value) => {
    expect(sut(value)).toBe(false);
  });
});

describe('isCursorUuid', () => {
  const sut = isCursorUuid;

  it('accepts a uuid', () => {
    expect(sut('5f0c2a8e-7d1b-4c1e-9a53-0b7d3c1f9e21')).toBe(true);
  });

  it.each([
    ['text', 'not-a-uuid'],
    ['a uuid with extra text', '5f0c2a8e-7d1b-4c1e-9a53-0b7d3c1f9e21x'],
    ['a number', 42],
  ])('refuses %s', (_label, value) => {
    expect(sut(value)).toBe(false);
  });
});
