/// <reference types="jest" />
import { visibleParts } from './visible-text';

describe('visibleParts', () => {
  it('keeps ordinary text, markup included, as one text run', () => {
    expect(visibleParts('<img src=x onerror=alert(1)> héllo 世界')).toEqual([
      { kind: 'text', text: '<img src=x onerror=alert(1)> héllo 世界' },
    ]);
  });

  it('shows bidi overrides and zero-width characters as named escapes', () => {
    expect(visibleParts('a\u202Eb\u200Bc')).toEqual([
      { kind: 'text', text: 'a' },
      { kind: 'escape', code: 'U+202E', name: 'RIGHT-TO-LEFT OVERRIDE' },
      { kind: 'text', text: 'b' },
      { kind: 'escape', code: 'U+200B', name: 'ZERO WIDTH SPACE' },
      { kind: 'text', text: 'c' },
    ]);
  });

  it('escapes control characters, and line breaks in single-line text only', () => {
    expect(visibleParts('x\u0007y')[1]).toEqual({
      kind: 'escape',
      code: 'U+0007',
      name: 'CONTROL CHARACTER',
    });
    expect(visibleParts('one\ntwo')).toHaveLength(3);
    expect(visibleParts('one\ntwo', { multiline: true })).toEqual([
      { kind: 'text', text: 'one\ntwo' },
    ]);
  });

  it('escapes tag characters outside the basic plane', () => {
    expect(visibleParts('gm\u{E0041}')[1]).toMatchObject({ code: 'U+E0041' });
  });
});
