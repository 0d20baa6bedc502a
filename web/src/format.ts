/** Dates on screen: Europe/Paris, French formats. */

const dateTime = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  dateStyle: 'long',
  timeStyle: 'short',
});

const dateOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long' });
const civilDate = new Intl.DateTimeFormat('fr-FR', { timeZone: 'UTC', dateStyle: 'long' });
const numbers = new Intl.NumberFormat('fr-FR');

function parse(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** An instant (ISO 8601) as a date and time in Paris. */
export function formatDateTime(value: string | null | undefined): string {
  const date = parse(value);
  return date ? dateTime.format(date) : '';
}

/** An instant as a date in Paris. */
export function formatDate(value: string | null | undefined): string {
  const date = parse(value);
  return date ? dateOnly.format(date) : '';
}

/** A civil date (YYYY-MM-DD, e.g. a birth date) without any time-zone shift. */
export function formatCivilDate(value: string | null | undefined): string {
  if (!value) return '';
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!match) return value;
  return civilDate.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/** The machine-readable value for <time dateTime>. */
export const isoOrUndefined = (value: string | null | undefined): string | undefined =>
  parse(value)?.toISOString();

const numberFormats = new Map<number, Intl.NumberFormat>();

/**
 * A number the French way (decimal comma, narrow no-break space for thousands), with at most `decimals`
 * fraction digits (3 by default, Intl's own default); a missing number is 0.
 */
export function formatNumber(n: number | null | undefined, decimals = 3): string {
  if (decimals === 3) return numbers.format(n ?? 0);
  let f = numberFormats.get(decimals);
  if (!f) {
    f = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: decimals });
    numberFormats.set(decimals, f);
  }
  return f.format(n ?? 0);
}
