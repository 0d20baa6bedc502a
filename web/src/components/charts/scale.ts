/** Scales and ticks of the line charts: pure helpers (French number and date formatting). */

import { formatNumber } from '../../format';

/** "Nice" ticks covering [min, max]: steps of 1, 2, 2.5 or 5 times a power of ten, about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 0.5 && ticks.length < 50; v += step) ticks.push(Number(v.toFixed(10)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toFixed(10)));
  return ticks;
}

const DAY = 86_400_000;
const monthYear = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', month: 'short', year: 'numeric' });
const dayMonth = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'short' });
const yearOnly = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric' });

/** Ticks of a time axis (ms since the epoch), at whole days, months or years, with their French labels. */
export function timeTicks(min: number, max: number): { value: number; label: string }[] {
  const span = Math.max(max - min, DAY);
  if (span <= 62 * DAY) {
    const step = Math.max(1, Math.ceil(span / DAY / 6)) * DAY;
    const start = Math.ceil(min / DAY) * DAY;
    const out: { value: number; label: string }[] = [];
    for (let v = start; v <= max; v += step) out.push({ value: v, label: dayMonth.format(v) });
    return out;
  }
  const months = span / (30.44 * DAY);
  if (months > 72) {
    const years = Math.ceil(months / 12 / 6);
    const out: { value: number; label: string }[] = [];
    const from = new Date(min).getUTCFullYear() + 1;
    for (let y = from; Date.UTC(y, 0, 1) <= max; y += years) out.push({ value: Date.UTC(y, 0, 1), label: yearOnly.format(Date.UTC(y, 0, 1)) });
    return out;
  }
  const stepMonths = [1, 2, 3, 6, 12].find((s) => months / s <= 6) ?? 12;
  const d = new Date(min);
  let y = d.getUTCFullYear();
  let m = d.getUTCMonth() + 1;
  const out: { value: number; label: string }[] = [];
  for (let i = 0; i < 100; i++) {
    if (m > 11) {
      y += Math.floor(m / 12);
      m %= 12;
    }
    const v = Date.UTC(y, m, 1);
    if (v > max) break;
    if (m % stepMonths === 0 || stepMonths === 1) out.push({ value: v, label: monthYear.format(v) });
    m += 1;
  }
  return out;
}

/** An age in months the French way: "9 mois", "2 ans", "2 ans 6 mois". */
export function formatAgeMonths(months: number): string {
  const whole = Math.round(months * 10) / 10;
  if (whole < 24) return `${formatNumber(whole, 1)} mois`;
  const years = Math.floor(whole / 12);
  const rest = Math.round(whole - years * 12);
  return rest > 0 ? `${years} ans ${rest} mois` : `${years} ans`;
}

/** Ticks of an age axis in months: in months up to two years, then in years. */
export function ageTicks(min: number, max: number): { value: number; label: string }[] {
  const span = max - min;
  if (max <= 24) {
    const step = span <= 12 ? 2 : span <= 24 ? 3 : 6;
    const out: { value: number; label: string }[] = [];
    for (let v = Math.ceil(min / step) * step; v <= max; v += step) out.push({ value: v, label: v === 0 ? 'naissance' : `${v} mois` });
    return out;
  }
  const stepYears = [1, 2, 3, 5].find((s) => span / 12 / s <= 8) ?? 5;
  const out: { value: number; label: string }[] = [];
  for (let y = Math.ceil(min / 12 / stepYears) * stepYears; y * 12 <= max; y += stepYears) {
    out.push({ value: y * 12, label: y === 0 ? 'naissance' : y === 1 ? '1 an' : `${y} ans` });
  }
  return out;
}
