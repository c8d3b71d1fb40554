/**
 * Player-supplied text is shown as text (React text nodes, never HTML). On top of that, the
 * characters a player can use to hide or disguise text are made visible as escapes:
 * zero-width characters, bidirectional controls (which can reverse what a GM reads), other
 * format characters and C0/C1 control characters.
 */
export type TextPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'escape'; readonly code: string; readonly name: string };

const NAMES: Record<number, string> = {
  0x00ad: 'SOFT HYPHEN',
  0x034f: 'COMBINING GRAPHEME JOINER',
  0x061c: 'ARABIC LETTER MARK',
  0x115f: 'HANGUL CHOSEONG FILLER',
  0x1160: 'HANGUL JUNGSEONG FILLER',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2061: 'FUNCTION APPLICATION',
  0x2062: 'INVISIBLE TIMES',
  0x2063: 'INVISIBLE SEPARATOR',
  0x2064: 'INVISIBLE PLUS',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0x3164: 'HANGUL FILLER',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
  0xffa0: 'HALFWIDTH HANGUL FILLER',
};

function hiddenName(codePoint: number, multiline: boolean): string | undefined {
  if (codePoint === 0x0a || codePoint === 0x09) {
    return multiline ? undefined : codePoint === 0x0a ? 'LINE FEED' : 'TAB';
  }
  if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f)) {
    return 'CONTROL CHARACTER';
  }
  if (NAMES[codePoint]) {
    return NAMES[codePoint];
  }
  if (codePoint >= 0x206a && codePoint <= 0x206f) {
    return 'DEPRECATED FORMAT CHARACTER';
  }
  if (codePoint >= 0xfff9 && codePoint <= 0xfffb) {
    return 'INTERLINEAR ANNOTATION';
  }
  if (codePoint >= 0xe0000 && codePoint <= 0xe007f) {
    return 'TAG CHARACTER';
  }
  if (codePoint >= 0xfe00 && codePoint <= 0xfe0f) {
    return 'VARIATION SELECTOR';
  }
  return undefined;
}

const hex = (codePoint: number): string =>
  `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;

/** Splits text into plain runs and visible escapes for hidden characters. */
export function visibleParts(value: string, options: { multiline?: boolean } = {}): TextPart[] {
  const parts: TextPart[] = [];
  let run = '';
  for (const char of value) {
    const codePoint = char.codePointAt(0) ?? 0;
    const name = hiddenName(codePoint, options.multiline ?? false);
    if (name === undefined) {
      run += char;
      continue;
    }
    if (run) {
      parts.push({ kind: 'text', text: run });
      run = '';
    }
    parts.push({ kind: 'escape', code: hex(codePoint), name });
  }
  if (run) {
    parts.push({ kind: 'text', text: run });
  }
  return parts;
}
