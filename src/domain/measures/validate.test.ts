import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.js';
import { assertProfileRules } from '../profile/rules.js';
import { bodyMassIndex, pairFor } from './bmi.js';
import { catalogue, MEASURES, unitByText, unitByUcum } from './catalogue.js';
import { MEASURE_CODES } from './types.js';
import { checkMeasureInput, isFuture, measureProblems } from './validate.js';

const NOW = new Date('2026-11-23T10:00:00Z');
const obs = (loinc: string, q: Record<string, unknown> | undefined, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2026-11-01T08:00:00Z',
  ...(q ? { valueQuantity: q } : {}),
  ...extra,
});
const ucum = (value: number, code: string, unit = code) => ({ value, unit, system: 'http://unitsofmeasure.org', code });
const bp = (sys: number, dia: number, code = 'mm[Hg]') => ({
  component: [
    { code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] }, valueQuantity: ucum(sys, code) },
    { code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] }, valueQuantity: ucum(dia, code) },
  ],
});

describe('the catalogue', () => {
  it('fixes the LOINC codes and default units of the mes-mesures profiles', () => {
    const byCode = Object.fromEntries(catalogue().map((d) => [d.code, d]));
    expect(Object.keys(byCode).sort()).toEqual([...MEASURE_CODES].sort());
    const expected: Record<string, [string, string]> = {
      WEIGHT: ['29463-7', 'kg'],
      HEIGHT: ['8302-2', 'cm'],
      BODY_MASS_INDEX: ['39156-5', 'kg/m2'],
      WAIST_CIRCUMFERENCE: ['8280-0', 'cm'],
      HEAD_CIRCUMFERENCE: ['8287-5', 'cm'],
      BODY_TEMPERATURE: ['8310-5', 'Cel'],
      BLOOD_PRESSURE: ['85354-9', 'mm[Hg]'],
      HEART_RATE: ['8867-4', '/min'],
      GLUCOSE: ['2345-7', 'g/L'],
      PAIN_SEVERITY: ['72514-3', '1'],
      STEPS_BY_DAY: ['41950-7', '1/(24.h)'],
    };
    for (const [code, [loinc, unit]] of Object.entries(expected)) {
      expect(byCode[code]!.loinc, code).toBe(loinc);
      expect(byCode[code]!.units[0], code).toBe(unit);
    }
    expect(byCode.BLOOD_PRESSURE!.components!.map((c) => c.loinc)).toEqual(['8480-6', '8462-4']);
    expect(byCode.BODY_MASS_INDEX!.computed).toBe(true);
  });

  it('converts the accepted units', () => {
    const w = MEASURES.WEIGHT;
    expect(unitByUcum(w, '[lb_av]')!.toDefault(150)).toBeCloseTo(68.0389, 3);
    expect(unitByUcum(w, 'g')!.toDefault(3200)).toBeCloseTo(3.2, 9);
    expect(unitByUcum(MEASURES.HEIGHT, 'm')!.toDefault(1.72)).toBeCloseTo(172, 9);
    expect(unitByUcum(MEASURES.HEIGHT, '[in_i]')!.toDefault(66.9)).toBeCloseTo(169.926, 3);
    expect(unitByUcum(MEASURES.GLUCOSE, 'mmol/L')!.toDefault(5.5)).toBeCloseTo(0.99, 2);
    expect(unitByUcum(MEASURES.GLUCOSE, 'mg/dL')!.toDefault(92)).toBeCloseTo(0.92, 9);
    expect(unitByUcum(MEASURES.BODY_TEMPERATURE, '[degF]')!.toDefault(98.6)).toBeCloseTo(37, 9);
    expect(unitByText(w, 'lbs')!.ucum).toBe('[lb_av]');
    expect(unitByText(MEASURES.BLOOD_PRESSURE, 'mmHg')!.ucum).toBe('mm[Hg]');
    expect(unitByText(w, 'stone')).toBeUndefined();
  });

  it('converts back and forth without loss, for every unit of every measure', () => {
    const pairs = Object.values(MEASURES).flatMap((d) => d.units.map((u) => ({ d, u })));
    fc.assert(
      fc.property(fc.constantFrom(...pairs), fc.double({ min: 0.001, max: 1e5, noNaN: true }), ({ u }, v) => {
        expect(u.fromDefault(u.toDefault(v))).toBeCloseTo(v, 6);
      }),
    );
  });
});

describe('measureProblems', () => {
  it('refuses a weight of 900 kg, naming the value', () => {
    expect(measureProblems(obs('29463-7', ucum(900, 'kg')), NOW)).toEqual([expect.objectContaining({ code: 'measures.implausible', expression: 'Observation.valueQuantity.value' })]);
    // in pounds too: 2000 lb is 907 kg
    expect(measureProblems(obs('29463-7', ucum(2000, '[lb_av]')), NOW)[0]!.code).toBe('measures.implausible');
  });

  it('refuses an unknown unit, naming the code or the unit text', () => {
    expect(measureProblems(obs('29463-7', ucum(70, 'kg/m2')), NOW)).toEqual([expect.objectContaining({ code: 'measures.unit', expression: 'Observation.valueQuantity.code' })]);
    expect(measureProblems(obs('29463-7', { value: 70, unit: 'stones' }), NOW)).toEqual([expect.objectContaining({ code: 'measures.unit', expression: 'Observation.valueQuantity.unit' })]);
    expect(measureProblems(obs('29463-7', { value: 70 }), NOW)[0]!.code).toBe('measures.unit');
  });

  it('refuses a date more than five minutes in the future', () => {
    const at = (d: string) => measureProblems(obs('29463-7', ucum(70, 'kg'), { effectiveDateTime: d }), NOW);
    expect(at('2026-11-23T10:04:00Z')).toEqual([]);
    expect(at('2026-11-23T10:06:00Z')).toEqual([expect.objectContaining({ code: 'measures.future', expression: 'Observation.effectiveDateTime' })]);
    // a day: today in any time zone is not the future, tomorrow is
    expect(at('2026-11-24')).toEqual([]);
    expect(at('2026-11-25')[0]!.code).toBe('measures.future');
    expect(at('2027')[0]!.code).toBe('measures.future');
  });

  it('refuses a date that does not exist (Date.parse would read the 30th of February as March)', () => {
    const at = (d: string) => measureProblems(obs('29463-7', ucum(70, 'kg'), { effectiveDateTime: d }), NOW);
    expect(at('2025-02-30T10:00:00Z')).toEqual([expect.objectContaining({ code: 'measures.date-invalid', expression: 'Observation.effectiveDateTime' })]);
    expect(at('2025-04-31T10:00:00+02:00')[0]!.code).toBe('measures.date-invalid');
    expect(at('2024-02-29T10:00:00Z')).toEqual([]);
  });

  it('checks the blood pressure components, and that the diastolic is below the systolic', () => {
    expect(measureProblems(obs('85354-9', undefined, bp(120, 80)), NOW)).toEqual([]);
    expect(measureProblems(obs('85354-9', undefined, bp(12, 8, 'cm[Hg]')), NOW)).toEqual([]);
    expect(measureProblems(obs('85354-9', undefined, bp(400, 80)), NOW)).toEqual([expect.objectContaining({ code: 'measures.implausible', expression: 'Observation.component[0].valueQuantity.value' })]);
    expect(measureProblems(obs('85354-9', undefined, bp(80, 120)), NOW)).toEqual([expect.objectContaining({ expression: 'Observation.component[1].valueQuantity.value' })]);
    expect(measureProblems(obs('85354-9', undefined, bp(120, 80, 'kPa')), NOW).map((p) => p.code)).toEqual(['measures.unit', 'measures.unit']);
  });

  it('lets other Observations, and measures without a value, pass', () => {
    expect(measureProblems(obs('72166-2', ucum(900, 'kg')), NOW)).toEqual([]);
    expect(measureProblems({ ...obs('29463-7', ucum(900, 'kg')), code: { coding: [{ code: '29463-7' }] } }, NOW)).toEqual([]);
    expect(measureProblems(obs('85354-9', undefined, { effectivePeriod: { start: '2024-02-25' } }), NOW)).toEqual([]);
    expect(measureProblems({ resourceType: 'Condition', code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] } }, NOW)).toEqual([]);
  });

  it('accepts the units of imported data: Synthea, the R4 examples, US units', () => {
    const ok: [string, Record<string, unknown>][] = [
      ['29463-7', ucum(185, '[lb_av]', 'lbs')],
      ['29463-7', { value: 70, unit: 'kg' }],
      ['8302-2', ucum(66.9, '[in_i]', 'in')],
      ['39156-5', ucum(16.2, 'kg/m2')],
      ['8310-5', ucum(36.5, 'Cel', 'C')],
      ['8331-1', ucum(99.1, '[degF]')],
      ['8867-4', ucum(44, '/min', 'beats/minute')],
      ['9843-4', ucum(51.2, 'cm')],
      ['2339-0', ucum(172.7, 'mg/dL')],
      ['2339-0', ucum(1.02, 'g/L')],
      ['15074-8', ucum(6.3, 'mmol/L', 'mmol/l')],
      ['72514-3', ucum(3, '{score}')],
      ['72514-3', { value: 4, unit: 'Level', system: 'http://unitsofmeasure.org', code: '1' }],
      ['41950-7', { value: 8000, unit: 'steps/day', system: 'http://unitsofmeasure.org', code: '1/(24.h)' }],
    ];
    for (const [loinc, q] of ok) expect(measureProblems(obs(loinc, q), NOW), `${loinc} ${JSON.stringify(q)}`).toEqual([]);
  });

  it('is what the repository checks (assertProfileRules): 422 with the code and the expression', () => {
    try {
      assertProfileRules(obs('29463-7', ucum(900, 'kg')), NOW);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).status).toBe(422);
      expect((err as AppError).code).toBe('measures.implausible');
      expect((err as AppError).issues[0]!.expression).toEqual(['Observation.valueQuantity.value']);
    }
  });

  it('accepts every value within the range and refuses every value outside, in every unit', () => {
    const single = Object.values(MEASURES).filter((d) => !d.components);
    fc.assert(
      fc.property(fc.constantFrom(...single), fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(5), (def, f, ui) => {
        const u = def.units[ui % def.units.length]!;
        const inside = u.fromDefault(def.min + f * (def.max - def.min));
        expect(measureProblems(obs(def.loinc, ucum(inside, u.ucum)), NOW)).toEqual([]);
        const above = u.fromDefault(def.max * 1.01 + 1);
        expect(measureProblems(obs(def.loinc, ucum(above, u.ucum)), NOW)[0]?.code).toBe('measures.implausible');
      }),
    );
  });
});

describe('checkMeasureInput (the API)', () => {
  const check = (body: Record<string, unknown>) => checkMeasureInput(body, NOW);
  const refusal = (body: Record<string, unknown>) => {
    try {
      check(body);
    } catch (err) {
      const e = err as AppError;
      return { status: e.status, code: e.code, fields: e.issues.flatMap((i) => i.expression ?? []) };
    }
    throw new Error('accepted');
  };

  it('converts to the default unit', () => {
    expect(check({ code: 'WEIGHT', value: 150, unit: '[lb_av]', date: '2026-11-20' }).value).toBe(68.04);
    expect(check({ code: 'HEIGHT', value: 1.72, unit: 'm', date: '2026-11-20' }).value).toBe(172);
    expect(check({ code: 'GLUCOSE', value: 92, unit: 'mg/dL', date: '2026-11-20' }).value).toBe(0.92);
    expect(check({ code: 'BLOOD_PRESSURE', systolic: 12.5, diastolic: 8, unit: 'cm[Hg]', date: '2026-11-20T07:30:00+01:00' })).toMatchObject({ systolic: 125, diastolic: 80 });
  });

  it('names the field at fault', () => {
    expect(refusal({ code: 'WEIGHT', value: 900, unit: 'kg', date: '2026-11-20' })).toEqual({ status: 422, code: 'measures.implausible', fields: ['value'] });
    expect(refusal({ code: 'WEIGHT', value: 70, unit: 'kg', date: '2026-12-20' })).toEqual({ status: 422, code: 'measures.future', fields: ['date'] });
    expect(refusal({ code: 'WEIGHT', value: 70, unit: 'st', date: '2026-11-20' })).toEqual({ status: 422, code: 'measures.unit', fields: ['unit'] });
    expect(refusal({ code: 'CHOLESTEROL', value: 2, unit: 'g/L', date: '2026-11-20' })).toEqual({ status: 422, code: 'measures.code', fields: ['code'] });
    expect(refusal({ code: 'BODY_MASS_INDEX', value: 22, unit: 'kg/m2', date: '2026-11-20' })).toMatchObject({ status: 422, code: 'measures.computed', fields: ['code'] });
    expect(refusal({ code: 'BLOOD_PRESSURE', systolic: 120, diastolic: 250, unit: 'mm[Hg]', date: '2026-11-20' })).toMatchObject({ code: 'measures.implausible', fields: ['diastolic'] });
    expect(refusal({ code: 'BLOOD_PRESSURE', systolic: 'haute', diastolic: 80, unit: 'mm[Hg]', date: '2026-11-20' })).toMatchObject({ status: 400, fields: ['systolic'] });
    expect(refusal({ code: 'WEIGHT', value: 70, unit: 'kg', date: '20/11/2026' })).toMatchObject({ status: 400, fields: ['date'] });
    expect(refusal({ code: 'WEIGHT', value: 70, unit: 'kg', date: '2026-02-30' })).toMatchObject({ status: 400, fields: ['date'] });
  });

  it('reads a day without a time generously and an instant strictly', () => {
    expect(isFuture('2026-11-23', NOW)).toBe(false);
    expect(isFuture('2026-11-23T10:10:00Z', NOW)).toBe(true);
  });
});

describe('BMI', () => {
  it('is the weight over the square of the height', () => {
    expect(bodyMassIndex(70, 175)).toBe(22.86);
    expect(bodyMassIndex(0, 175)).toBeUndefined();
  });

  it('pairs with the closest measure within the window', () => {
    const others = [{ at: 0 }, { at: 10 }, { at: 100 }];
    expect(pairFor(12, others, 50)).toEqual({ at: 10 });
    expect(pairFor(200, others, 50)).toBeUndefined();
  });
});
