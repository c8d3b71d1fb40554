import { copyText } from './sql';

describe('copyText', () => {
  it('escapes what COPY text format gives meaning to, and writes null as \\N', () => {
    expect(copyText('plain')).toBe('plain');
    expect(copyText('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyText('\\N')).toBe('\\\\N');
    expect(copyText(null)).toBe('\\N');
    expect(copyText('🎮 ‮ é')).toBe('🎮 ‮ é');
  });
});
