import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chartEndMonths, defaultReference, growthChart } from './chart.js';
import { ageInMonths, centileOfZ, lmsAt, valueAtZ, zOfCentile, zOfValue } from './lms.js';
import { iotfReference, iotfZ, parseIotfCsv, parseLmsCsv, sampleAges, whoFileOf, whoReference } from './references.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const IOTF = parseIotfCsv(fs.readFileSync(path.join(ROOT, 'data/reference/iotf/iotf-bmi-lms-cole-lobstein-2012.csv'), 'utf8'));

/** A small WHO-format fixture (header Month,L,M,S): weight-for-age of boys, first months (WHO 2006 values). */
const WFA_BOYS = `Month,L,M,S
0,0.3487,3.3464,0.14602
1,0.2297,4.4709,0.13395
2,0.1970,5.5675,0.12385
3,0.1738,6.3762,0.11727`;

describe('LMS', () => {
  it('gives M(1+LSz)^(1/L), and M·exp(Sz) when L = 0', () => {
    const lms = { L: 0.3487, M: 3.3464, S: 0.14602 };
    expect(valueAtZ(lms, 0)).toBeCloseTo(3.3464, 10);
    expect(valueAtZ(lms, 2)).toBeCloseTo(3.3464 * (1 + 0.3487 * 0.14602 * 2) ** (1 / 0.3487), 10);
    // WHO 2006, boys at birth: −2 SD 2.5 kg, +2 SD 4.4 kg (published tables)
    expect(valueAtZ(lms, -2)).toBeCloseTo(2.5, 1);
    expect(valueAtZ(lms, 2)).toBeCloseTo(4.4, 1);
    expect(valueAtZ({ L: 0, M: 10, S: 0.1 }, 1)).toBeCloseTo(10 * Math.exp(0.1), 12);
  });

  it('inverts: the z-score of the value at z is z', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.double({ min: -1e-9, max: 1e-9, noNaN: true })), fc.double({ min: 1, max: 200, noNaN: true }), fc.double({ min: 0.02, max: 0.2, noNaN: true }), fc.double({ min: -3, max: 3, noNaN: true }), (L, M, S, z) => {
        const v = valueAtZ({ L, M, S }, z);
        fc.pre(Number.isFinite(v) && v > 0);
        expect(zOfValue({ L, M, S }, v)).toBeCloseTo(z, 6);
      }),
    );
  });

  it('knows the z-scores of the centiles', () => {
    expect(zOfCentile(50)).toBeCloseTo(0, 9);
    expect(zOfCentile(97)).toBeCloseTo(1.880794, 5);
    expect(zOfCentile(3)).toBeCloseTo(-1.880794, 5);
    expect(zOfCentile(99)).toBeCloseTo(2.326348, 5);
    expect(zOfCentile(10)).toBeCloseTo(-1.281552, 5);
    fc.assert(fc.property(fc.double({ min: 0.5, max: 99.5, noNaN: true }), (c) => {
        expect(centileOfZ(zOfCentile(c))).toBeCloseTo(c, 4);
      }),
    );
  });

  it('interpolates between rows and knows nothing outside the table', () => {
    const rows = parseLmsCsv(WFA_BOYS);
    expect(lmsAt(rows, 1.5)!.M).toBeCloseTo((4.4709 + 5.5675) / 2, 10);
    expect(lmsAt(rows, 4)).toBeUndefined();
    expect(lmsAt(rows, -1)).toBeUndefined();
  });

  it('counts age in months as the WHO does (days / 30.4375)', () => {
    expect(ageInMonths('2021-09-20', '2021-09-20')).toBe(0);
    expect(ageInMonths('2024-01-01', '2025-01-01')).toBeCloseTo(366 / 30.4375, 10);
    expect(ageInMonths('2018-06-02', new Date('2026-06-02T00:00:00Z'))).toBeCloseTo(96, 1);
  });
});

describe('the IOTF cut-offs (Cole & Lobstein 2012)', () => {
  const z = (sex: 'male' | 'female', bmi: number) => iotfZ(IOTF[sex], bmi);
  const at = (sex: 'male' | 'female', years: number, bmi: number) => valueAtZ(lmsAt(IOTF[sex], years * 12)!, z(sex, bmi));

  it('reproduces the z-scores of reference-data.md §6.2', () => {
    const boys: [number, number][] = [[16, -2.5655], [17, -1.8766], [18.5, -1.0138], [25, 1.3103], [30, 2.2876], [35, 2.9304]];
    const girls: [number, number][] = [[16, -2.4361], [17, -1.789], [18.5, -0.9749], [25, 1.2439], [30, 2.1918], [35, 2.8222]];
    for (const [bmi, expected] of boys) expect(z('male', bmi)).toBeCloseTo(expected, 3);
    for (const [bmi, expected] of girls) expect(z('female', bmi)).toBeCloseTo(expected, 3);
  });

  it('gives the published cut-offs: boys 2 y IOTF-25 18.36 and IOTF-30 19.99', () => {
    expect(at('male', 2, 25)).toBeCloseTo(18.36, 2);
    expect(at('male', 2, 30)).toBeCloseTo(19.99, 2);
    expect(at('female', 2, 25)).toBeCloseTo(18.09, 2);
    expect(at('female', 2, 30)).toBeCloseTo(19.81, 2);
    expect(at('male', 10, 25)).toBeCloseTo(19.8, 2);
    expect(at('male', 10, 30)).toBeCloseTo(23.96, 2);
    // and the adult values at 18
    expect(at('male', 18, 25)).toBeCloseTo(25, 6);
    expect(at('female', 18, 30)).toBeCloseTo(30, 6);
  });

  it('draws the cut-off curves from 2 years, IOTF 17, 25 and 30 emphasised', () => {
    const curves = iotfReference(IOTF).curves('bmi', 'male')!;
    expect(curves.minAgeMonths).toBe(24);
    const lines = curves.lines(0, 120);
    expect(lines.map((l) => l.key)).toEqual(['IOTF-16', 'IOTF-17', 'IOTF-18.5', 'IOTF-25', 'IOTF-30', 'IOTF-35']);
    expect(lines.filter((l) => l.emphasis).map((l) => l.key)).toEqual(['IOTF-17', 'IOTF-25', 'IOTF-30']);
    const iotf25 = lines.find((l) => l.key === 'IOTF-25')!;
    expect(iotf25.points[0]).toEqual({ ageMonths: 24, value: 18.36 });
    expect(iotf25.points[iotf25.points.length - 1]!.ageMonths).toBe(120);
    expect(iotfReference(IOTF).curves('weight', 'male')).toBeUndefined();
  });
});

describe('the WHO reference', () => {
  it('recognises the file names of the WHO tables', () => {
    expect(whoFileOf('wfa_boys.csv')).toEqual({ measure: 'weight', sex: 'male' });
    expect(whoFileOf('lhfa_girls_0-to-5-years.csv')).toEqual({ measure: 'height', sex: 'female' });
    expect(whoFileOf('hcfa-boys.csv')).toEqual({ measure: 'head-circumference', sex: 'male' });
    expect(whoFileOf('bfa_girls.csv')).toEqual({ measure: 'bmi', sex: 'female' });
    expect(whoFileOf('wfl_boys.csv')).toBeUndefined();
    expect(whoFileOf('README.csv')).toBeUndefined();
  });

  it('gives centiles for the weight (C3, C50, C97 emphasised) and SD lines for the others', () => {
    const rows = parseLmsCsv(WFA_BOYS);
    const who = whoReference({ weight: { male: rows, female: rows }, height: { male: rows, female: rows } });
    expect(who.name).toBe('OMS 2006/2007');
    expect(who.measures).toEqual(['weight', 'height']);
    const weight = who.curves('weight', 'male')!.lines(0, 3);
    expect(weight.map((l) => l.key)).toEqual(['C1', 'C3', 'C10', 'C25', 'C50', 'C75', 'C90', 'C97', 'C99']);
    expect(weight.filter((l) => l.emphasis).map((l) => l.key)).toEqual(['C3', 'C50', 'C97']);
    expect(weight.find((l) => l.key === 'C50')!.points).toEqual([
      { ageMonths: 0, value: 3.35 },
      { ageMonths: 1, value: 4.47 },
      { ageMonths: 2, value: 5.57 },
      { ageMonths: 3, value: 6.38 },
    ]);
    const height = who.curves('height', 'female')!.lines(0, 3);
    expect(height.map((l) => l.key)).toEqual(['SD-3', 'SD-2', 'SD-1', 'SD0', 'SD+1', 'SD+2', 'SD+3']);
    expect(height.filter((l) => l.emphasis).map((l) => l.key)).toEqual(['SD-2', 'SD0', 'SD+2']);
    expect(who.curves('bmi', 'male')).toBeUndefined();
  });

  it('refuses a table that is not one', () => {
    expect(() => parseLmsCsv('Month,L,M\n0,1,2')).toThrow(/S/);
    expect(() => parseLmsCsv('Month,L,M,S\n0,1,two,0.1')).toThrow(/line 2/);
  });
});

describe('the chart', () => {
  const rows = parseLmsCsv(WFA_BOYS);
  const who = whoReference({ weight: { male: rows, female: rows }, bmi: { male: rows, female: rows } });
  const iotf = iotfReference(IOTF);

  it('names its reference and lists the others for the measure', () => {
    const chart = growthChart({ measure: 'bmi', sex: 'male', birthDate: '2020-01-01', now: new Date('2026-01-01'), measures: [], reference: iotf, all: [who, iotf] });
    expect(chart.reference).toMatchObject({ id: 'iotf', name: 'IOTF (Cole et Lobstein 2012)' });
    expect(chart.reference.citation).toMatch(/Pediatr Obes 2012/);
    expect(chart.references).toEqual([{ id: 'who', name: 'OMS 2006/2007' }]);
  });

  it('chooses IOTF for the BMI from 2 years, the WHO before and for the other measures', () => {
    expect(defaultReference([who, iotf], 'bmi', 30)!.id).toBe('iotf');
    expect(defaultReference([who, iotf], 'bmi', 12)!.id).toBe('who');
    expect(defaultReference([who, iotf], 'weight', 30)!.id).toBe('who');
    expect(defaultReference([iotf], 'head-circumference', 30)).toBeUndefined();
  });

  it("places the child's measures by age and draws the curves a year beyond the child's age", () => {
    const chart = growthChart({
      measure: 'weight',
      sex: 'male',
      birthDate: '2026-01-01',
      now: new Date('2026-03-15'),
      measures: [{ value: 4.5, date: '2026-01-31' }, { value: 3.4, date: '2026-01-01' }],
      reference: who,
      all: [who, iotf],
    });
    expect(chart.points.map((p) => p.value)).toEqual([3.4, 4.5]);
    expect(chart.points[1]!.ageMonths).toBeCloseTo(30 / 30.4375, 2);
    expect(chart.unit).toBe('kg');
    expect(chart.curves).toHaveLength(9);
    expect(chartEndMonths(2.4)).toBe(36);
    expect(chartEndMonths(100)).toBe(120);
    expect(chartEndMonths(210)).toBe(216);
  });

  it('says so when no reference covers the measure', () => {
    const chart = growthChart({ measure: 'head-circumference', sex: 'female', birthDate: '2026-01-01', now: new Date('2026-03-15'), measures: [], reference: undefined, all: [iotf] });
    expect(chart.reference.id).toBe('none');
    expect(chart.curves).toEqual([]);
  });

  it('samples monthly up to 3 years, then every 3 months', () => {
    expect(sampleAges(0, 5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sampleAges(34, 45)).toEqual([34, 35, 36, 39, 42, 45]);
    expect(sampleAges(24.5, 26)).toEqual([24.5, 25, 26]);
  });
});
