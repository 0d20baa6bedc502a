/** Civil dates and times in Europe/Paris, whatever the browser's own time zone (profile, measures, agenda, pro forms). */

const PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Paris',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The Paris wall-clock parts of an instant. */
export function parisParts(at: Date | number | string): { date: string; time: string; year: number; month: number; day: number } {
  const d = at instanceof Date ? at : new Date(at);
  const p = Object.fromEntries(PARTS.formatToParts(d).map((x) => [x.type, x.value])) as Record<string, string>;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    time: `${p.hour}:${p.minute}`,
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
  };
}

/** Paris's offset from UTC at an instant, in ms. */
function parisOffset(ms: number): number {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(ms)).map((x) => [x.type, x.value])) as Record<string, string>;
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** The instant (ISO) of a Paris date (YYYY-MM-DD) and time (HH:MM). */
export function parisToIso(date: string, time = '00:00'): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y!, m! - 1, d!, hh ?? 0, mm ?? 0);
  let at = wall - parisOffset(wall);
  at = wall - parisOffset(at);
  return new Date(at).toISOString();
}

/** Today in Paris (YYYY-MM-DD): the default date of the forms, and the latest one. */
export const todayInParis = (now = new Date()): string => parisParts(now).date;

/** A YYYY-MM-DD date moved by whole months (clamped to the month's last day) or days. */
export function addToCivil(date: string, o: { months?: number; days?: number }): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y!, m! - 1 + (o.months ?? 0), 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  const day = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(d!, last) + (o.days ?? 0)));
  return day.toISOString().slice(0, 10);
}

export const isCivilDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
export const isClockTime = (s: string): boolean => /^([01]\d|2[0-3]):[0-5]\d$/.test(s);

/** A number typed the French way ("72,5") or with a point; NaN when it is not one. */
export function parseDecimal(s: string): number {
  const t = s.trim().replace(/\s/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}
