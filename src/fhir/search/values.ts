/**
 * The value forms shared by the indexer (write time) and the search parser (query time), so that both
 * sides always agree: string normalisation, date ranges and reference forms.
 */

/**
 * Case- and accent-insensitive form of a string: "Hélène LEFÈVRE" → "helene lefevre", "Œuvre" → "oeuvre".
 */
export function normalizeString(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/ß/g, 'ss')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A half-open time range [lo, hi) as fixed-width UTC instants; open ends are '-infinity' and 'infinity'. */
export interface DateRange {
  lo: string;
  hi: string;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/**
 * The range a FHIR date, dateTime or instant covers at its own precision: "2024" is the whole year,
 * "2024-03-05" the whole day, "2024-03-05T10:00:00+01:00" one second. Values without a time zone are read
 * as UTC. Returns undefined for anything that is not a real date ("2024-02-30", "2024-13").
 */
export function dateRange(value: string): DateRange | undefined {
  const m = DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const start = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  start.setUTCFullYear(year);
  if (start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day) return undefined;
  let offset = 0;
  if (tz && tz !== 'Z') {
    const sign = tz.startsWith('-') ? -1 : 1;
    const [oh, om] = tz.slice(1).split(':').map(Number) as [number, number];
    if (oh > 14 || om > 59) return undefined;
    offset = sign * (oh * 60 + om) * 60_000;
  }
  const lo = new Date(start.getTime() - offset);
  const hi = new Date(lo);
  if (mo === undefined) hi.setUTCFullYear(hi.getUTCFullYear() + 1);
  else if (d === undefined) hi.setUTCMonth(hi.getUTCMonth() + 1);
  else if (h === undefined) hi.setUTCDate(hi.getUTCDate() + 1);
  else if (s === undefined) hi.setUTCMinutes(hi.getUTCMinutes() + 1);
  else if (frac === undefined) hi.setUTCSeconds(hi.getUTCSeconds() + 1);
  else hi.setUTCMilliseconds(hi.getUTCMilliseconds() + 1);
  return { lo: iso(lo), hi: iso(hi) };
}

function iso(d: Date): string {
  const year = d.getUTCFullYear();
  if (year > 9999) return 'infinity';
  return d.toISOString();
}

/** The token forms a reference is stored and searched under: "Type/id" relative to this server, else as written. */
export function referenceForm(reference: string, fhirBase: string | undefined): string | undefined {
  if (reference.startsWith('#') || reference.startsWith('urn:')) return undefined;
  let ref = reference;
  if (fhirBase && ref.startsWith(`${fhirBase}/`)) ref = ref.slice(fhirBase.length + 1);
  const history = ref.indexOf('/_history/');
  if (history > 0 && !/^[a-z]+:/.test(ref)) ref = ref.slice(0, history);
  return ref;
}
