/**
 * French typography for the profile's documents (summary, advance directives): non-breaking spaces before the
 * high punctuation and inside guillemets, numbers with a decimal comma, quantities whose unit stays with its
 * value, and dates in words, whole or partial ("2018", "mars 2018", "14 mars 2024"). Pure.
 *
 * The PDFs are drawn in WinAnsi fonts, which have U+00A0 (no-break space) but not U+202F (narrow no-break
 * space): the helpers write U+00A0, which the layout never breaks a line at.
 */

/** The no-break space of every helper here. */
export const NBSP = '\u00A0';

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/**
 * Text typeset the French way: a no-break space before ; : ! ? (replacing a plain space if any; not in URLs
 * "https://", times "10:30" or ratios "1:2", where no space follows), guillemets for straight double quotes and
 * no-break spaces inside « », the typographic apostrophe, and runs of spaces made one.
 */
export function frenchText(text: string): string {
  let out = text.replace(/[ \t]+/g, ' ');
  // straight double quotes in pairs become guillemets
  out = out.replace(/"([^"\n]*)"/g, (_m, inner: string) => `«${inner.trim()}»`);
  out = out.replace(/«[ \u00A0\u202F]*/g, `«${NBSP}`).replace(/[ \u00A0\u202F]*»/g, `${NBSP}»`);
  // a high punctuation mark followed by a space, a line end, the end, or another mark / closing guillemet
  const after = String.raw`(?=$|[\s»)"'’.,])`;
  out = out.replace(new RegExp(String.raw`[ \u202F]+([;:!?]+)` + after, 'gm'), `${NBSP}$1`);
  out = out.replace(new RegExp(String.raw`([^\s!?;:])([;:!?]+)` + after, 'gm'), `$1${NBSP}$2`);
  out = out.replace(/(\p{L})'(?=\p{L})/gu, '$1’');
  return out;
}

/**
 * A number in French: decimal comma, no-break space between thousands ("1 234,5"), at most `maxDecimals`
 * decimals (trailing zeros dropped), or exactly `decimals` when given as `{ fixed }`.
 */
export function formatNumberFr(value: number, decimals: number | { fixed: number } = 2): string {
  if (!Number.isFinite(value)) return String(value);
  const fixed = typeof decimals === 'object';
  const digits = fixed ? decimals.fixed : decimals;
  const s = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: fixed ? digits : 0, maximumFractionDigits: digits, useGrouping: true }).format(value);
  return s.replace(/[\u202F\u00A0 ]/g, NBSP).replace(/\u2212/g, '-');
}

/** How a UCUM unit is written in French text. */
const UNIT_DISPLAY: Record<string, string> = {
  'kg/m2': 'kg/m²',
  'mm[Hg]': 'mmHg',
  Cel: '°C',
  '[degF]': '°F',
  '/min': '/min',
  '{beats}/min': 'battements/min',
  'g/L': 'g/L',
  'mg/dL': 'mg/dL',
  'mmol/L': 'mmol/L',
  '{score}': '/10',
  '{steps}/d': 'pas/jour',
  '%': '%',
  a: 'ans',
  mo: 'mois',
  wk: 'semaines',
  d: 'jours',
};

export function unitFr(unit: string | undefined): string {
  if (!unit) return '';
  return Object.hasOwn(UNIT_DISPLAY, unit) ? UNIT_DISPLAY[unit]! : unit;
}

/** "72,5 kg", "120/80 mmHg": the unit kept on the line of its value. */
export function formatQuantityFr(value: number | string, unit: string | undefined, decimals = 2): string {
  const v = typeof value === 'number' ? formatNumberFr(value, decimals) : value;
  const u = unitFr(unit);
  if (!u) return v;
  return u.startsWith('/') && u !== '/min' ? `${v}${u}` : `${v}${NBSP}${u}`;
}

const PARTIAL = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/;

/**
 * A FHIR date, dateTime or a partial date in words: "2018", "mars 2018", "14 mars 2024", "1er mai 2024".
 * A dateTime is read as its calendar date (the day the patient wrote). Undefined for anything else.
 */
export function formatPartialDateFr(value: string | { year: number; month?: number | undefined; day?: number | undefined } | undefined): string | undefined {
  if (value === undefined) return undefined;
  let year: number;
  let month: number | undefined;
  let day: number | undefined;
  if (typeof value === 'string') {
    const m = PARTIAL.exec(value);
    if (!m) return undefined;
    year = Number(m[1]);
    month = m[2] ? Number(m[2]) : undefined;
    day = m[3] ? Number(m[3]) : undefined;
  } else {
    ({ year, month, day } = value);
  }
  if (month === undefined || month < 1 || month > 12) return String(year);
  const monthYear = `${MONTHS[month - 1]}${NBSP}${year}`;
  if (day === undefined || day < 1 || day > 31) return monthYear;
  return `${day === 1 ? '1er' : String(day)}${NBSP}${monthYear}`;
}

/** "le 14 mars 2024", "en mars 2018", "en 2018". */
export function onDateFr(value: string | undefined): string | undefined {
  const d = formatPartialDateFr(value);
  if (!d) return undefined;
  return /^\d{4}$/.test(d) || /^[a-zéû]/.test(d) ? `en ${d}` : `le ${d}`;
}
