import type { PDFFont } from 'pdf-lib';

/** Time zone of every date printed in the documents. */
export const DOCUMENT_TIME_ZONE = 'Europe/Paris';

const MONTHS = [
  'janvier',
  'février',
  'mars',
  'avril',
  'mai',
  'juin',
  'juillet',
  'août',
  'septembre',
  'octobre',
  'novembre',
  'décembre',
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// Creating Intl formatters is slow; the letters format thousands of dates.
const PARIS_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: DOCUMENT_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

interface CalendarParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function parisParts(date: Date): CalendarParts {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) throw new RangeError('Invalid date');
  const parts: Record<string, string> = {};
  for (const part of PARIS_PARTS.formatToParts(date)) parts[part.type] = part.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
  };
}

function calendarDate(date: Date | string): { year: number; month: number; day: number } {
  if (typeof date !== 'string') return parisParts(date);
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Invalid date: ${date}`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`Invalid date: ${date}`);
  }
  return { year, month, day };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/**
 * A date in words, as written in French letters: "22 novembre 2026", "1er mars 2027".
 * A `Date` is read in Europe/Paris; a "YYYY-MM-DD" string is a calendar date (a birth date) and is not shifted.
 */
export function formatDateFr(date: Date | string): string {
  const { year, month, day } = calendarDate(date);
  return `${day === 1 ? '1er' : String(day)} ${MONTHS[month - 1]} ${year}`;
}

/** "22/11/2026" (Europe/Paris for a `Date`). */
export function formatShortDateFr(date: Date | string): string {
  const { year, month, day } = calendarDate(date);
  return `${pad2(day)}/${pad2(month)}/${year}`;
}

/** "18:40" in Europe/Paris. */
export function formatTimeFr(date: Date): string {
  const { hour, minute } = parisParts(date);
  return `${pad2(hour)}:${pad2(minute)}`;
}

/** "22/11/2026 à 18:40" in Europe/Paris. */
export function formatDateTimeFr(date: Date): string {
  return `${formatShortDateFr(date)} à ${formatTimeFr(date)}`;
}

const NIR_SHAPE = /^[0-9]{5}[0-9AB]{2}[0-9]{6}([0-9]{2})?$/;

/**
 * Masks a NIR (social security number) for printing: keeps the sex, year and month of birth and the key,
 * hides the place of birth and the order number: "1 84 12 ** *** *** 46".
 * Anything that does not look like a NIR (13 or 15 characters) is masked entirely, so nothing leaks.
 */
export function maskNir(nir: string): string {
  const clean = nir.replace(/[\s.\-]/g, '').toUpperCase();
  const match = NIR_SHAPE.exec(clean);
  if (!match) return '* ** ** ** *** *** **';
  const head = `${clean[0]} ${clean.slice(1, 3)} ${clean.slice(3, 5)} ** *** ***`;
  return match[1] === undefined ? head : `${head} ${match[1]}`;
}

/** True when `value` holds more digits than a masked NIR does (7), i.e. it may be an unmasked NIR. */
export function looksLikeUnmaskedNir(value: string): boolean {
  return (value.match(/[0-9]/g) ?? []).length > 7;
}

// ---------------------------------------------------------------------------------------------------------
// WinAnsi text

const SUBSTITUTES: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '–',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': '’',
  '\u2033': '"',
  '\u201B': '’',
  '\u02BC': '’',
  '\u02BB': '‘',
  '\u2035': '‘',
  '\u2044': '/',
  '\u2215': '/',
  '\u2192': '->',
  '\u2190': '<-',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2260': '!=',
  '\u2022': '•',
  '\u25CF': '•',
  '\u00AD': '', // soft hyphen: invisible in running text
  ł: 'l',
  Ł: 'L',
  đ: 'd',
  Đ: 'D',
  ı: 'i',
  ħ: 'h',
  Ħ: 'H',
  ŧ: 't',
  Ŧ: 'T',
  ŀ: 'l',
  Ŀ: 'L',
  ĳ: 'ij',
  Ĳ: 'IJ',
  ǆ: 'dž',
  ẞ: 'SS',
  ſ: 's',
};

const charSets = new WeakMap<PDFFont, Set<number>>();

function charSetOf(font: PDFFont): Set<number> {
  let set = charSets.get(font);
  if (!set) {
    set = new Set(font.getCharacterSet());
    charSets.set(font, set);
  }
  return set;
}

/** "ễ" → "ê", "ș" → "s": drops combining marks from the last until the letter can be drawn. */
function withoutLastMarks(char: string, supported: Set<number>): string | undefined {
  const parts = [...char.normalize('NFD')];
  for (let keep = parts.length - 1; keep >= 1; keep--) {
    const candidate = parts.slice(0, keep).join('').normalize('NFC');
    if ([...candidate].every((c) => supported.has(c.codePointAt(0) as number))) return candidate;
  }
  return undefined;
}

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

/**
 * Returns `text` with every character the (WinAnsi) font cannot draw replaced: accents are dropped only when
 * the accented letter is missing (ă → a), typographic look-alikes are mapped (‐ → -), invisible characters
 * (joiners, variation selectors, control characters) are dropped, other spaces become spaces and anything
 * else (emoji, other scripts) becomes "?". Line breaks are turned into spaces. Never throws.
 */
export function toWinAnsi(text: string, font: PDFFont): string {
  if (PRINTABLE_ASCII.test(text)) return text;
  const supported = charSetOf(font);
  let out = '';
  let lastReplaced = false;
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) as number;
    if (supported.has(code) && code >= 0x20 && code !== 0xad) {
      out += char;
      lastReplaced = false;
      continue;
    }
    const substitute = SUBSTITUTES[char];
    if (substitute !== undefined && [...substitute].every((c) => supported.has(c.codePointAt(0) as number))) {
      out += substitute;
      lastReplaced = false;
      continue;
    }
    if (/[\n\r\t\v\f\u2028\u2029]/.test(char)) {
      out += ' ';
      lastReplaced = false;
      continue;
    }
    if (/[\u2007\u202F\u2009\u200A]/.test(char)) {
      out += '\u00A0';
      lastReplaced = false;
      continue;
    }
    if (/\p{Zs}/u.test(char)) {
      out += ' ';
      lastReplaced = false;
      continue;
    }
    if (/[\p{Cc}\p{Cf}\p{M}\u{1F3FB}-\u{1F3FF}]/u.test(char)) continue; // invisible, marks, skin tones
    const base = withoutLastMarks(char, supported);
    if (base !== undefined) {
      out += base;
      lastReplaced = false;
      continue;
    }
    if (!lastReplaced) out += '?';
    lastReplaced = true;
  }
  return out;
}

const widthTables = new WeakMap<PDFFont, Map<number, number>>();

/**
 * Width of `text` (already WinAnsi-safe) at `size`, as drawn: pdf-lib's own measure applies kerning, which
 * `drawText` does not.
 */
export function textWidth(text: string, font: PDFFont, size: number): number {
  let table = widthTables.get(font);
  if (!table) {
    table = new Map();
    widthTables.set(font, table);
  }
  let total = 0;
  for (const char of text) {
    const code = char.codePointAt(0) as number;
    let width = table.get(code);
    if (width === undefined) {
      width = font.widthOfTextAtSize(char, 1000);
      table.set(code, width);
    }
    total += width;
  }
  return (total * size) / 1000;
}

/**
 * Splits `text` into lines no wider than `maxWidth` at `size`. Breaks at spaces; "\n" starts a new line
 * (an empty line stays empty); a word longer than a line is cut. The lines are WinAnsi-safe (see `toWinAnsi`).
 */
export function wrapText(text: string, font: PDFFont, size: number, maxWidth: number): string[] {
  const lines: string[] = [];
  const spaceWidth = textWidth(' ', font, size);
  for (const paragraph of text.replace(/\r\n?/g, '\n').split('\n')) {
    const words = toWinAnsi(paragraph, font).split(' ').filter((w) => w !== '');
    let line = '';
    let lineWidth = 0;
    for (const word of words) {
      const wordWidth = textWidth(word, font, size);
      if (line !== '' && lineWidth + spaceWidth + wordWidth <= maxWidth) {
        line += ` ${word}`;
        lineWidth += spaceWidth + wordWidth;
        continue;
      }
      if (line !== '') lines.push(line);
      if (wordWidth <= maxWidth) {
        line = word;
        lineWidth = wordWidth;
        continue;
      }
      // A word wider than a line: cut it, keeping at least one character per line.
      line = '';
      lineWidth = 0;
      for (const char of word) {
        const charWidth = textWidth(char, font, size);
        if (line !== '' && lineWidth + charWidth > maxWidth) {
          lines.push(line);
          line = '';
          lineWidth = 0;
        }
        line += char;
        lineWidth += charWidth;
      }
    }
    lines.push(line);
  }
  return lines;
}
