import { findStructuralProblem, MAX_BODY_DEPTH } from './body-parsing';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i += 1) {
    value = { a: value };
  }
  return value;
}

describe('findStructuralProblem', () => {
  const sut = findStructuralProblem;

  it('passes an ordinary request body', () => {
    expect(
      sut({ category: 'spam', location: { zone: 'Harbor', x: 1 }, tags: ['a', 'b'], note: null }),
    ).toBeNull();
  });

  it('passes a request without a body', () => {
    expect(sut(undefined)).toBeNull();
  });

  it('passes a body nested exactly as deep as allowed', () => {
    expect(sut(nested(MAX_BODY_DEPTH))).toBeNull();
  });

  it('refuses a body nested one level deeper, naming where', () => {
    const problem = sut(nested(MAX_BODY_DEPTH + 1));

    expect(problem).toEqual({
      field: Array.from({ length: MAX_BODY_DEPTH }, () => 'a').join('.'),
      problem: `nests deeper than ${MAX_BODY_DEPTH} levels`,
    });
  });

  it('counts arrays as levels too, and names them by index', () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_BODY_DEPTH + 1; i += 1) {
      value = [value];
    }

    expect(sut({ lines: value })?.field).toMatch(/^lines(\[0\])+$/);
  });

  it('walks a body nested far beyond the limit without overflowing the stack', () => {
    expect(sut(nested(100_000))).not.toBeNull();
  });

  it.each(['__proto__', 'constructor', 'prototype'])(
    'refuses a %s key wherever it is, as an unknown property',
    (key) => {
      const body = JSON.parse(`{"location":{"zone":"z","${key}":{"polluted":true}}}`) as unknown;

      expect(sut(body)).toEqual({
        field: `location.${key}`,
        problem: `property ${key} should not exist`,
      });
    },
  );

  it('passes keys that merely contain a prototype word', () => {
    expect(sut({ constructorName: 'x', my__proto__: 1 })).toBeNull();
  });
});
