import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { appError } from '../../../test/support/errors.js';
import { decodeCursor, decodeSearchCursor, encodeCursor, encodeSearchCursor, isInstant, parseCount, parseSince } from './paging.js';

const b64 = (text: string) => Buffer.from(text).toString('base64url');
const arbInstant = fc
  .tuple(
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T23:59:59Z'), noInvalidDate: true }),
    fc.constantFrom('Z', '+01:00', '-05:30', '+00:00', '+14:00', '-12:00'),
    fc.constantFrom('ms', 's', 'min'),
  )
  .map(([d, zone, precision]) => {
    const iso = d.toISOString().slice(0, precision === 'ms' ? 23 : precision === 's' ? 19 : 16);
    return `${iso}${zone}`;
  });

describe('isInstant', () => {
  it.each([
    '2026-01-31T12:00:00Z',
    '2026-01-31T12:00Z',
    '2026-01-31T12:00:00.1Z',
    '2026-01-31T12:00:00.123456Z',
    '2026-01-31T12:00:00+01:00',
    '2026-01-31T12:00:00-05:30',
    '2024-02-29T00:00:00Z',
    '2000-02-29T23:59:59Z',
  ])('accepts %s', (value) => {
    expect(isInstant(value)).toBe(true);
  });

  it.each([
    '',
    '2026',
    '2026-01',
    '2026-01-31',
    '2026-01-31T12:00:00',
    '2026-01-31 12:00:00Z',
    '2026-01-31T12Z',
    '2026-02-30T12:00:00Z',
    '2023-02-29T12:00:00Z',
    '1900-02-29T12:00:00Z',
    '2026-13-01T12:00:00Z',
    '2026-00-10T12:00:00Z',
    '2026-01-00T12:00:00Z',
    '2026-01-32T12:00:00Z',
    '2026-01-31T24:00:00Z',
    '2026-01-31T12:60:00Z',
    '2026-01-31T12:00:60Z',
    '2026-01-31T12:00:00+2500',
    '2026-01-31T12:00:00+24:00',
    '2026-01-31T12:00:00+01:60',
    '2026-01-31T12:00:00.Z',
    'yesterday',
    '1769860800',
  ])('refuses %j', (value) => {
    expect(isInstant(value)).toBe(false);
  });

  it('accepts every instant in the FHIR format (property)', () => {
    fc.assert(
      fc.property(arbInstant, (instant) => {
        expect(isInstant(instant)).toBe(true);
      }),
    );
  });

  it('accepts a calendar day only if it exists (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
        const value = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T08:30:00Z`;
        expect(isInstant(value)).toBe(real);
      }),
    );
  });
});

describe('parseCount', () => {
  const limits = { defaultCount: 20, maxCount: 200 };

  it('gives the default count when _count is absent', () => {
    expect(parseCount(null, limits)).toBe(20);
  });

  it('keeps a count within the limits', () => {
    expect(parseCount('1', limits)).toBe(1);
    expect(parseCount('50', limits)).toBe(50);
    expect(parseCount('200', limits)).toBe(200);
    expect(parseCount('007', limits)).toBe(7);
  });

  it('raises 0 to 1', () => {
    expect(parseCount('0', limits)).toBe(1);
  });

  it('lowers a count above the maximum to the maximum', () => {
    expect(parseCount('201', limits)).toBe(200);
    expect(parseCount('99999999999999999999999', limits)).toBe(200);
  });

  it.each(['', 'abc', '-1', '1.5', '1e3', ' 5', '5 ', '+5', '0x10', '١٢'])('refuses _count=%j with a 400 naming _count', (raw) => {
    const err = appError(() => parseCount(raw, limits));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: ['_count'] });
  });

  it('always lands between 1 and the maximum for any whole number (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.integer({ min: 1, max: 5000 }), (n, max) => {
        const count = parseCount(n.toString(), { defaultCount: 1, maxCount: max });
        expect(count).toBeGreaterThanOrEqual(1);
        expect(count).toBeLessThanOrEqual(max);
        if (n >= 1n && n <= BigInt(max)) expect(count).toBe(Number(n));
      }),
    );
  });
});

describe('parseSince', () => {
  it('gives undefined when _since is absent', () => {
    expect(parseSince(null)).toBeUndefined();
  });

  it.each(['2026-01-31T12:00:00Z', '2026-01-31T12:00Z', '2026-01-31T12:00:00.123Z', '2026-01-31T12:00:00+01:00', '2026-01-31T12:00:00-05:30'])(
    'accepts the instant %s as written',
    (raw) => {
      expect(parseSince(raw)).toBe(raw);
    },
  );

  it.each([
    '',
    '2026-01-31',
    '2026-01',
    '2026-01-31T12:00:00',
    '2026-01-31 12:00:00Z',
    '2026-01-31T12Z',
    '2026-13-01T12:00:00Z',
    '2026-01-32T12:00:00Z',
    '2026-01-31T25:00:00Z',
    '2026-01-31T12:60:00Z',
    '2026-01-31T12:00:00+2500',
    'yesterday',
    '1769860800',
  ])('refuses _since=%j with a 400 naming _since', (raw) => {
    const err = appError(() => parseSince(raw));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ code: 'invalid', expression: ['_since'] });
  });

  it('accepts every instant in the FHIR format (property)', () => {
    fc.assert(
      fc.property(arbInstant, (instant) => {
        expect(parseSince(instant)).toBe(instant);
      }),
    );
  });
});

describe('history cursors', () => {
  it('round-trips a cursor', () => {
    const c = { lastUpdated: '2026-01-31T12:00:00.123Z', id: 'obs-1', versionId: 3 };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
  });

  it('encodes into URL-safe characters only', () => {
    expect(encodeCursor({ lastUpdated: '2026-01-31T12:00:00Z', id: '??>>~~é', versionId: 1 })).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('round-trips any cursor the server can issue (property)', () => {
    fc.assert(
      fc.property(arbInstant, fc.string(), fc.maxSafeInteger(), (lastUpdated, id, versionId) => {
        const c = { lastUpdated, id, versionId };
        const encoded = encodeCursor(c);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]*$/);
        expect(decodeCursor(encoded)).toEqual(c);
      }),
    );
  });

  it.each([
    ['an empty string', ''],
    ['text that is not base64 JSON', 'not a cursor!'],
    ['a JSON object', b64('{"lastUpdated":"2026-01-31T12:00:00Z","id":"x","versionId":1}')],
    ['JSON null', b64('null')],
    ['a JSON number', b64('42')],
    ['an empty array', b64('[]')],
    ['a date without time', b64('["2026-01-31","x",1]')],
    ['an impossible date', b64('["2026-02-30T12:00:00Z","x",1]')],
    ['a number as lastUpdated', b64('[1769860800,"x",1]')],
    ['a number as id', b64('["2026-01-31T12:00:00Z",5,1]')],
    ['a string version', b64('["2026-01-31T12:00:00Z","x","1"]')],
    ['a fractional version', b64('["2026-01-31T12:00:00Z","x",1.5]')],
    ['a missing version', b64('["2026-01-31T12:00:00Z","x"]')],
    ['a search cursor', encodeSearchCursor(['2026-01-31T12:00:00Z', 'x'])],
    ['a truncated cursor', encodeCursor({ lastUpdated: '2026-01-31T12:00:00Z', id: 'x', versionId: 1 }).slice(0, 20)],
  ])('refuses %s as a forged cursor with a 400 naming _cursor', (_, value) => {
    const err = appError(() => decodeCursor(value));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ code: 'invalid', expression: ['_cursor'] });
  });

  it('either decodes any string into a well-formed cursor or refuses it with a 400 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => b64(JSON.stringify(v)))), (value) => {
        let cursor;
        try {
          cursor = decodeCursor(value);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).status).toBe(400);
          return;
        }
        expect(isInstant(cursor.lastUpdated)).toBe(true);
        expect(typeof cursor.id).toBe('string');
        expect(Number.isInteger(cursor.versionId)).toBe(true);
      }),
    );
  });
});

describe('search cursors', () => {
  it('round-trips the sort values and id of the last entry', () => {
    const keys = ['2026-01-31T12:00:00.000Z', 'lefevre', 'doc-1'];
    expect(decodeSearchCursor(encodeSearchCursor(keys), 3)).toEqual(keys);
  });

  it('round-trips any list of keys, in URL-safe characters (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (keys) => {
        const encoded = encodeSearchCursor(keys);
        expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
        expect(decodeSearchCursor(encoded, keys.length)).toEqual(keys);
      }),
    );
  });

  it('refuses a cursor issued for a different number of sort keys', () => {
    const cursor = encodeSearchCursor(['a', 'b']);
    for (const n of [1, 3]) {
      const err = appError(() => decodeSearchCursor(cursor, n));
      expect(err.status).toBe(400);
      expect(err.issues[0]).toMatchObject({ code: 'invalid', expression: ['_cursor'] });
    }
  });

  it.each([
    ['an empty string', ''],
    ['text that is not base64 JSON', 'not a cursor!'],
    ['a history cursor', encodeCursor({ lastUpdated: '2026-01-31T12:00:00Z', id: 'x', versionId: 1 })],
    ['an untagged array', b64('["x"]')],
    ['a wrong tag', b64('["h","x"]')],
    ['a number key', b64('["s",1]')],
    ['a null key', b64('["s",null]')],
    ['a JSON object', b64('{"s":"x"}')],
  ])('refuses %s with a 400 naming _cursor', (_, value) => {
    const err = appError(() => decodeSearchCursor(value, 1));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ code: 'invalid', expression: ['_cursor'] });
  });

  it('either decodes any string into string keys or refuses it with a 400 (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((v) => b64(JSON.stringify(v)))), fc.integer({ min: 1, max: 3 }), (value, n) => {
        let keys;
        try {
          keys = decodeSearchCursor(value, n);
        } catch (err) {
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).status).toBe(400);
          return;
        }
        expect(keys).toHaveLength(n);
        expect(keys.every((k) => typeof k === 'string')).toBe(true);
      }),
    );
  });
});
