import { displayNameClaim, realmClaim } from './token-claims';

describe('displayNameClaim', () => {
  it.each([
    ['a plain name', 'Alice', 'Alice'],
    ['NUL bytes', 'Ali\u0000ce', 'Alice'],
    ['an escape sequence', 'Bob\u001b[31m', 'Bob[31m'],
    ['a C1 control', 'Eve\u0085', 'Eve'],
    ['a right-to-left override', '\u202eevil', 'evil'],
    ['a lone surrogate', 'Zo\ud800e', 'Zoe'],
    ['surrounding spaces', '  Grimbold ', 'Grimbold'],
    ['an emoji (a surrogate pair)', 'GG 🎮', 'GG 🎮'],
  ])('keeps a name with %s as readable text', (_label, claim, expected) => {
    expect(displayNameClaim(claim)).toBe(expected);
  });

  it.each([
    ['not a string', 42],
    ['only control characters', '\u0000\u0001'],
    ['empty', ''],
    ['longer than 64 characters', 'x'.repeat(65)],
  ])('drops a name that is %s', (_label, claim) => {
    expect(displayNameClaim(claim)).toBeUndefined();
  });
});

describe('realmClaim', () => {
  it('accepts a realm id', () => {
    expect(realmClaim('eu-west-1')).toBe('eu-west-1');
  });

  it.each([
    ['a NUL byte', 'eu\u0000'],
    ['upper case', 'EU'],
    ['not a string', ['eu']],
    ['too long', 'a'.repeat(41)],
  ])('refuses a realm claim with %s', (_label, claim) => {
    expect(realmClaim(claim)).toBeUndefined();
  });
});
