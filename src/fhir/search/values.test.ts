import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dateRange, normalizeString, referenceForm } from './values.js';

const BASE = 'https://carnet.example/fhir';

describe('normalizeString', () => {
  it.each([
    ['Hélène', 'helene'],
    ['LEFÈVRE', 'lefevre'],
    ['Œuvre', 'oeuvre'],
    ['cœur', 'coeur'],
    ['Lætitia', 'laetitia'],
    ['Æsop', 'aesop'],
    ['Straße', 'strasse'],
    ['François', 'francois'],
    ['Zoë Noël', 'zoe noel'],
    ['Saint-Étienne', 'saint-etienne'],
    ['  Jean \t  Pierre\n', 'jean pierre'],
    ['Marie\u00a0Claire', 'marie claire'],
    ['', ''],
    ['   ', ''],
  ])('normalises %j to %j', (input, expected) => {
    expect(normalizeString(input)).toBe(expected);
  });

  it('treats precomposed and decomposed accents alike', () => {
    expect(normalizeString('He\u0301le\u0300ne')).toBe(normalizeString('Hélène'));
    expect(normalizeString('Hélène'.normalize('NFD'))).toBe('helene');
  });

  it('keeps digits and punctuation', () => {
    expect(normalizeString("12 rue de l'Église, 69003")).toBe("12 rue de l'eglise, 69003");
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const once = normalizeString(s);
        expect(normalizeString(once)).toBe(once);
      }),
    );
  });

  it('never leaves upper case ASCII, combining marks or runs of white space (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const n = normalizeString(s);
        expect(n).not.toMatch(/[A-Z]/);
        expect(n).not.toMatch(/\p{M}/u);
        expect(n).not.toMatch(/\s\s|^\s|\s$/);
      }),
    );
  });

  it('ignores the case of ASCII letters (property)', () => {
    const ascii = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -'.split('')), maxLength: 30 });
    fc.assert(
      fc.property(ascii, (s) => {
        expect(normalizeString(s.toUpperCase())).toBe(normalizeString(s));
        expect(normalizeString(s.toLowerCase())).toBe(normalizeString(s));
      }),
    );
  });

  it('ignores accents on Latin letters (property)', () => {
    const accents = ['\u0300', '\u0301', '\u0302', '\u0308', '\u0327'];
    const letters = fc.array(fc.tuple(fc.constantFrom(...'aceinouyAEIOU'.split('')), fc.option(fc.constantFrom(...accents), { nil: undefined })), { maxLength: 20 });
    fc.assert(
      fc.property(letters, (pairs) => {
        const plain = pairs.map(([l]) => l).join('');
        const accented = pairs.map(([l, a]) => l + (a ?? '')).join('').normalize('NFC');
        expect(normalizeString(accented)).toBe(plain.toLowerCase());
      }),
    );
  });
});

describe('dateRange', () => {
  it.each([
    ['year', '2024', '2024-01-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['month', '2024-02', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ['December', '2024-12', '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['day', '2024-03-05', '2024-03-05T00:00:00.000Z', '2024-03-06T00:00:00.000Z'],
    ['last day of a year', '2023-12-31', '2023-12-31T00:00:00.000Z', '2024-01-01T00:00:00.000Z'],
    ['minute', '2024-03-05T10:20Z', '2024-03-05T10:20:00.000Z', '2024-03-05T10:21:00.000Z'],
    ['second', '2024-03-05T10:20:30Z', '2024-03-05T10:20:30.000Z', '2024-03-05T10:20:31.000Z'],
    ['millisecond', '2024-03-05T10:20:30.123Z', '2024-03-05T10:20:30.123Z', '2024-03-05T10:20:30.124Z'],
    ['a fraction shorter than milliseconds', '2024-03-05T10:20:30.5Z', '2024-03-05T10:20:30.500Z', '2024-03-05T10:20:30.501Z'],
    ['a fraction longer than milliseconds (truncated)', '2024-03-05T10:20:30.123456Z', '2024-03-05T10:20:30.123Z', '2024-03-05T10:20:30.124Z'],
    ['a second rolling over into the next year', '2024-12-31T23:59:59Z', '2024-12-31T23:59:59.000Z', '2025-01-01T00:00:00.000Z'],
    ['a dateTime without zone (read as UTC)', '2024-03-05T10:20:30', '2024-03-05T10:20:30.000Z', '2024-03-05T10:20:31.000Z'],
  ])('gives [lo, hi) one unit wide for a %s', (_, value, lo, hi) => {
    expect(dateRange(value)).toEqual({ lo, hi });
  });

  it.each([
    ['+01:00', '2024-03-05T10:00:00+01:00', '2024-03-05T09:00:00.000Z', '2024-03-05T09:00:01.000Z'],
    ['+02:00 across midnight', '2024-03-05T01:00:00+02:00', '2024-03-04T23:00:00.000Z', '2024-03-04T23:00:01.000Z'],
    ['-05:30', '2024-03-05T22:00:00-05:30', '2024-03-06T03:30:00.000Z', '2024-03-06T03:30:01.000Z'],
    ['+14:00', '2024-01-01T00:00+14:00', '2023-12-31T10:00:00.000Z', '2023-12-31T10:01:00.000Z'],
    ['-00:00', '2024-03-05T10:00:00-00:00', '2024-03-05T10:00:00.000Z', '2024-03-05T10:00:01.000Z'],
    ['+00:00', '2024-03-05T10:00:00.250+00:00', '2024-03-05T10:00:00.250Z', '2024-03-05T10:00:00.251Z'],
  ])('shifts lo (and hi) by the time zone %s', (_, value, lo, hi) => {
    expect(dateRange(value)).toEqual({ lo, hi });
  });

  it('gives the same range for the same instant written in two zones', () => {
    expect(dateRange('2024-03-05T10:00:00+01:00')).toEqual(dateRange('2024-03-05T09:00:00Z'));
    expect(dateRange('2024-03-05T10:00:00+01:00')).toEqual(dateRange('2024-03-05T04:00:00-05:00'));
  });

  it('knows leap years', () => {
    expect(dateRange('2024-02-29')).toEqual({ lo: '2024-02-29T00:00:00.000Z', hi: '2024-03-01T00:00:00.000Z' });
    expect(dateRange('2000-02-29')).toEqual({ lo: '2000-02-29T00:00:00.000Z', hi: '2000-03-01T00:00:00.000Z' });
    expect(dateRange('2024-02')).toEqual({ lo: '2024-02-01T00:00:00.000Z', hi: '2024-03-01T00:00:00.000Z' });
    expect(dateRange('2023-02-28')?.hi).toBe('2023-03-01T00:00:00.000Z');
    expect(dateRange('2024')?.hi).toBe('2025-01-01T00:00:00.000Z');
  });

  it('reads years before 100 as written (not as 19xx)', () => {
    expect(dateRange('0050-06-15')).toEqual({ lo: '0050-06-15T00:00:00.000Z', hi: '0050-06-16T00:00:00.000Z' });
    expect(dateRange('0001')).toEqual({ lo: '0001-01-01T00:00:00.000Z', hi: '0002-01-01T00:00:00.000Z' });
  });

  it("gives 'infinity' for an end past year 9999", () => {
    expect(dateRange('9999')).toEqual({ lo: '9999-01-01T00:00:00.000Z', hi: 'infinity' });
    expect(dateRange('9999-12-31')?.hi).toBe('infinity');
  });

  it.each([
    ['30 February', '2024-02-30'],
    ['29 February of a common year', '2023-02-29'],
    ['29 February 1900 (not a leap year)', '1900-02-29'],
    ['31 April', '2024-04-31'],
    ['day 0', '2024-01-00'],
    ['day 32', '2024-01-32'],
    ['month 13', '2024-13'],
    ['month 00', '2024-00'],
    ['month 13 with a day', '2024-13-01'],
    ['year 0', '0000'],
    ['hour 24', '2024-03-05T24:00:00Z'],
    ['24:00 without seconds', '2024-03-05T24:00Z'],
    ['minute 60', '2024-03-05T10:60:00Z'],
    ['second 60', '2024-03-05T10:00:60Z'],
    ['a zone past +14:00', '2024-03-05T10:00:00+15:00'],
    ['a zone with 60 minutes', '2024-03-05T10:00:00+01:60'],
    ['a zone without colon', '2024-03-05T10:00:00+0100'],
    ['a one-digit zone', '2024-03-05T10:00:00+1:00'],
    ['a bare zone letter other than Z', '2024-03-05T10:00:00A'],
    ['a zone on a date', '2024-03-05Z'],
    ['an hour without minutes', '2024-03-05T10'],
    ['a space instead of T', '2024-03-05 10:00:00Z'],
    ['a two-digit year', '24-03-05'],
    ['a one-digit month', '2024-3-05'],
    ['an empty fraction', '2024-03-05T10:00:00.Z'],
    ['an empty string', ''],
    ['text', 'yesterday'],
    ['a prefixed date', 'ge2024'],
  ])('rejects %s (%j)', (_, value) => {
    expect(dateRange(value)).toBeUndefined();
  });

  const arbDate = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9998-12-31T23:59:59.999Z'), noInvalidDate: true });
  const arbOffset = fc.integer({ min: -14 * 60, max: 14 * 60 });
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');

  /** The instant d written in local time at the given offset (minutes east of UTC), with its zone. */
  const inZone = (d: Date, offset: number, precision: 'min' | 's' | 'ms') => {
    const local = new Date(d.getTime() + offset * 60_000).toISOString();
    const time = local.slice(0, precision === 'min' ? 16 : precision === 's' ? 19 : 23);
    const sign = offset < 0 ? '-' : '+';
    return `${time}${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  };

  it('contains the instant it was written from: lo <= d < hi (property)', () => {
    fc.assert(
      fc.property(arbDate, (d) => {
        const r = dateRange(d.toISOString())!;
        expect(r).toBeDefined();
        expect(r.lo).toBe(d.toISOString());
        expect(new Date(r.lo).getTime()).toBeLessThanOrEqual(d.getTime());
        expect(new Date(r.hi).getTime()).toBeGreaterThan(d.getTime());
        expect(new Date(r.hi).getTime() - new Date(r.lo).getTime()).toBe(1);
      }),
    );
  });

  it('contains the instant whatever its zone and precision (property)', () => {
    fc.assert(
      fc.property(arbDate, arbOffset, fc.constantFrom('min', 's', 'ms') as fc.Arbitrary<'min' | 's' | 'ms'>, (d, offset, precision) => {
        fc.pre(d.getUTCFullYear() > 1 && d.getUTCFullYear() < 9998); // stay clear of year 0 and 10000 once shifted
        const r = dateRange(inZone(d, offset, precision))!;
        expect(r).toBeDefined();
        const t = d.getTime();
        expect(Date.parse(r.lo)).toBeLessThanOrEqual(t);
        expect(Date.parse(r.hi)).toBeGreaterThan(t);
        expect(Date.parse(r.hi) - Date.parse(r.lo)).toBe(precision === 'min' ? 60_000 : precision === 's' ? 1000 : 1);
      }),
    );
  });

  it('gives a day range that contains the range of any instant inside it (property)', () => {
    fc.assert(
      fc.property(arbDate, arbOffset, fc.constantFrom('min', 's', 'ms') as fc.Arbitrary<'min' | 's' | 'ms'>, (d, offset, precision) => {
        fc.pre(d.getUTCFullYear() > 1 && d.getUTCFullYear() < 9998);
        const day = dateRange(d.toISOString().slice(0, 10))!;
        const instant = dateRange(inZone(d, offset, precision))!;
        // fixed-width ISO strings compare like the instants they stand for
        expect(day.lo <= instant.lo).toBe(true);
        expect(instant.hi <= day.hi).toBe(true);
        const month = dateRange(d.toISOString().slice(0, 7))!;
        const year = dateRange(d.toISOString().slice(0, 4))!;
        expect(month.lo <= day.lo && day.hi <= month.hi).toBe(true);
        expect(year.lo <= month.lo && month.hi <= year.hi).toBe(true);
      }),
    );
  });

  it('gives hi exactly one calendar unit after lo (property)', () => {
    fc.assert(
      fc.property(arbDate, (d) => {
        const iso = d.toISOString();
        const year = dateRange(iso.slice(0, 4))!;
        const month = dateRange(iso.slice(0, 7))!;
        const day = dateRange(iso.slice(0, 10))!;
        const next = (set: (x: Date) => void, lo: string) => {
          const x = new Date(lo);
          set(x);
          return x.toISOString();
        };
        expect(year.hi).toBe(next((x) => x.setUTCFullYear(x.getUTCFullYear() + 1), year.lo));
        expect(month.hi).toBe(next((x) => x.setUTCMonth(x.getUTCMonth() + 1), month.lo));
        expect(Date.parse(day.hi) - Date.parse(day.lo)).toBe(86_400_000);
      }),
    );
  });

  it('accepts exactly the real calendar days (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
        const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
        const r = dateRange(`${pad(y, 4)}-${pad(m)}-${pad(d)}`);
        if (d <= days) expect(r?.lo).toBe(`${pad(y, 4)}-${pad(m)}-${pad(d)}T00:00:00.000Z`);
        else expect(r).toBeUndefined();
      }),
    );
  });
});

describe('referenceForm', () => {
  it.each([
    ['a relative reference', 'Patient/anna', 'Patient/anna'],
    ['a versioned relative reference', 'Patient/anna/_history/2', 'Patient/anna'],
    ['an absolute reference to this server', `${BASE}/Patient/anna`, 'Patient/anna'],
    ['a versioned absolute reference to this server', `${BASE}/Patient/anna/_history/7`, 'Patient/anna'],
    ['a reference to another server', 'https://other.example/fhir/Patient/anna', 'https://other.example/fhir/Patient/anna'],
    ['a versioned reference to another server (kept whole)', 'https://other.example/fhir/Patient/anna/_history/2', 'https://other.example/fhir/Patient/anna/_history/2'],
    ['a URL that only starts like the base', `${BASE}2/Patient/anna`, `${BASE}2/Patient/anna`],
    ['a canonical URL', 'http://example.org/Questionnaire/q|1.0', 'http://example.org/Questionnaire/q|1.0'],
  ])('gives %s as the stored form', (_, reference, expected) => {
    expect(referenceForm(reference, BASE)).toBe(expected);
  });

  it('keeps absolute URLs when no base is known', () => {
    expect(referenceForm(`${BASE}/Patient/anna`, undefined)).toBe(`${BASE}/Patient/anna`);
    expect(referenceForm('Patient/anna/_history/3', undefined)).toBe('Patient/anna');
  });

  it.each(['#p1', '#', 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', 'urn:oid:1.2.250.1.213.1.4.8'])('ignores the local or temporary reference %j', (reference) => {
    expect(referenceForm(reference, BASE)).toBeUndefined();
  });

  it('gives Type/id for any id, versioned or not, relative or on this server (property)', () => {
    const arbId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('Patient', 'Observation', 'DocumentReference'),
        arbId,
        fc.option(arbId, { nil: undefined }),
        fc.constantFrom('', `${BASE}/`),
        (type, id, version, prefix) => {
          const ref = `${prefix}${type}/${id}${version ? `/_history/${version}` : ''}`;
          expect(referenceForm(ref, BASE)).toBe(`${type}/${id}`);
        },
      ),
    );
  });
});
