/**
 * Accent- and case-insensitive text, for comparing what people type with what Carnet knows about them
 * (login suggestions, personal information in passwords, finding a carer by name).
 */

const LETTER_FOLDS: ReadonlyArray<[RegExp, string]> = [
  [/œ/g, 'oe'],
  [/æ/g, 'ae'],
  [/ß/g, 'ss'],
  [/ø/g, 'o'],
  [/ł/g, 'l'],
  [/đ/g, 'd'],
  [/ı/g, 'i'],
];

/** Lower-case, without diacritics, ligatures spelt out: "Œuvre Hélène" → "oeuvre helene". */
export function foldText(text: string): string {
  let folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  for (const [pattern, replacement] of LETTER_FOLDS) folded = folded.replace(pattern, replacement);
  return folded;
}

/**
 * A folded name for comparisons: `foldText`, then spaces, hyphens and apostrophes all count as one
 * separator, trimmed: "Jean-Pierre", "jean pierre" and " JEAN  PIERRE " are the same name.
 */
export function foldName(name: string): string {
  return foldText(name)
    .replace(/[\s'’‘`´\-‐–]+/g, ' ')
    .trim();
}
