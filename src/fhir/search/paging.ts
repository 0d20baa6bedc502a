import { AppError } from '../../errors.js';

/** Where a history page stops: the last version returned (history goes newest first). */
export interface HistoryCursor {
  lastUpdated: string;
  id: string;
  versionId: number;
}

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** An instant that exists: the shape of one, and a real date and time (no 30 February, no 25:00). */
export function isInstant(value: string): boolean {
  const m = INSTANT.exec(value);
  if (!m) return false;
  const [y, mo, d, h, mi, s = '0', oh = '0', om = '0'] = m.slice(1).map((x) => x ?? '0') as string[];
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return (
    date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) &&
    Number(h) < 24 && Number(mi) < 60 && Number(s) < 60 && Number(oh) < 24 && Number(om) < 60
  );
}

export function encodeCursor(c: HistoryCursor): string {
  return Buffer.from(JSON.stringify([c.lastUpdated, c.id, c.versionId])).toString('base64url');
}

export function decodeCursor(value: string): HistoryCursor {
  try {
    const [lastUpdated, id, versionId] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof lastUpdated === 'string' && isInstant(lastUpdated) && typeof id === 'string' && Number.isInteger(versionId)) {
      return { lastUpdated, id, versionId: versionId as number };
    }
  } catch {
    // fall through
  }
  throw new AppError(400, 'invalid', 'The _cursor parameter is not one this server issued', ['_cursor']);
}

export function parseCount(raw: string | null, limits: { defaultCount: number; maxCount: number }): number {
  if (raw === null) return limits.defaultCount;
  if (!/^\d+$/.test(raw)) throw new AppError(400, 'invalid', `_count must be a whole number, not '${raw}'`, ['_count']);
  return Math.min(Math.max(Number(raw), 1), limits.maxCount);
}

export function parseSince(raw: string | null): string | undefined {
  if (raw === null) return undefined;
  if (!isInstant(raw)) {
    throw new AppError(400, 'invalid', `_since must be an instant such as 2026-01-31T12:00:00Z, not '${raw}'`, ['_since']);
  }
  return raw;
}

/** A search cursor: the sort values and id of the last entry of a page. */
export function encodeSearchCursor(keys: string[]): string {
  return Buffer.from(JSON.stringify(['s', ...keys])).toString('base64url');
}

export function decodeSearchCursor(value: string, keyCount: number): string[] {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    const [tag, ...keys] = parsed;
    if (tag === 's' && keys.length === keyCount && keys.every((k) => typeof k === 'string')) return keys as string[];
  } catch {
    // fall through
  }
  throw new AppError(400, 'invalid', 'The _cursor parameter is not one this server issued for this search', ['_cursor']);
}
