import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { etag, httpDate, parseIfMatch } from './http-dates.js';

describe('etag', () => {
  it('writes a weak ETag of the version', () => {
    expect(etag(3)).toBe('W/"3"');
    expect(etag('12')).toBe('W/"12"');
  });
});

describe('httpDate', () => {
  it('writes an instant as an IMF-fixdate in GMT', () => {
    expect(httpDate('2026-01-31T12:00:00Z')).toBe('Sat, 31 Jan 2026 12:00:00 GMT');
  });

  it('converts an offset to GMT', () => {
    expect(httpDate('2026-01-31T00:30:00+01:00')).toBe('Fri, 30 Jan 2026 23:30:00 GMT');
  });

  it('drops the milliseconds', () => {
    expect(httpDate('2026-01-31T12:00:00.999Z')).toBe('Sat, 31 Jan 2026 12:00:00 GMT');
  });

  it('gives back the instant to the second (property)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (d) => {
        const written = httpDate(d.toISOString());
        expect(written).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
        expect(Date.parse(written)).toBe(Math.floor(d.getTime() / 1000) * 1000);
      }),
    );
  });
});

describe('parseIfMatch', () => {
  it('gives undefined when there is no If-Match', () => {
    expect(parseIfMatch(undefined)).toBeUndefined();
  });

  it.each([
    ['W/"3"', 3],
    ['"3"', 3],
    ['3', 3],
    ['W/"0"', 0],
    ['  W/"42"  ', 42],
    ['W/"007"', 7],
  ])('reads %j as %i', (value, expected) => {
    expect(parseIfMatch(value)).toBe(expected);
  });

  it.each(['', 'garbage', 'W/"abc"', 'W/"-1"', '-1', '1.5', '*', 'W/""', 'w/"3"', 'W/"3", W/"4"', '"1234567890123456789"'])(
    'gives NaN for the unreadable %j',
    (value) => {
      expect(parseIfMatch(value)).toBeNaN();
    },
  );

  it('reads back every ETag it writes (property)', () => {
    fc.assert(
      fc.property(fc.maxSafeNat(), (n) => {
        expect(parseIfMatch(etag(n))).toBe(n);
        expect(parseIfMatch(`"${n}"`)).toBe(n);
        expect(parseIfMatch(String(n))).toBe(n);
      }),
    );
  });

  it('gives a number or NaN, never throws, for any header value (property)', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const n = parseIfMatch(value);
        expect(typeof n).toBe('number');
        if (!Number.isNaN(n)) expect(Number.isInteger(n) && n! >= 0).toBe(true);
      }),
    );
  });
});
