import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { validationIssues } from '../../fhir/validate.js';
import { clinicalFromSynthea, loadSyntheaBundles, type SyntheaTarget } from './synthea.js';

type Json = Record<string, unknown>;

const target: SyntheaTarget = {
  patientId: 'demo-patient-1',
  practitionerRef: 'Practitioner/demo-gp-1',
  practitionerDisplay: 'Dr Claire Martin',
};
const KEPT = new Set(['Observation', 'Condition', 'Immunization', 'Procedure', 'AllergyIntolerance', 'MedicationStatement']);
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

let bundles: { file: string; bundle: unknown }[] = [];
const outputs = new Map<string, Json[]>();

beforeAll(() => {
  bundles = loadSyntheaBundles();
  for (const { file, bundle } of bundles) outputs.set(file, clinicalFromSynthea(bundle, target));
}, 120_000);

/** Every value of `key` anywhere inside `value`. */
function valuesOf(value: unknown, key: string, into: unknown[] = []): unknown[] {
  if (Array.isArray(value)) value.forEach((v) => valuesOf(v, key, into));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === key) into.push(v);
      valuesOf(v, key, into);
    }
  }
  return into;
}

/** All date-like strings, in traversal order. */
function datesOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string' && DATE.test(value)) into.push(value);
  else if (Array.isArray(value)) value.forEach((v) => datesOf(v, into));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => datesOf(v, into));
  return into;
}

function resourcesOf(bundle: unknown): Json[] {
  return ((bundle as { entry?: { resource: Json }[] }).entry ?? []).map((e) => e.resource);
}

/** The Synthea patient's age in years at the newest date of their record (or at death). */
function ageAtEndOfRecord(bundle: unknown): number {
  const patient = resourcesOf(bundle).find((r) => r.resourceType === 'Patient')!;
  const end = (patient.deceasedDateTime as string | undefined) ?? datesOf(bundle).sort().at(-1)!;
  return (Date.parse(end.slice(0, 10)) - Date.parse(patient.birthDate as string)) / (365.25 * 86_400_000);
}

describe('loadSyntheaBundles', () => {
  it('returns the patient bundles only, sorted by file name', () => {
    expect(bundles.length).toBeGreaterThan(0);
    const files = bundles.map((b) => b.file);
    expect(files).toEqual([...files].sort());
    expect(files.some((f) => f.startsWith('hospitalInformation') || f.startsWith('practitionerInformation'))).toBe(false);
    for (const { bundle } of bundles) expect(resourcesOf(bundle).some((r) => r.resourceType === 'Patient')).toBe(true);
  });

  it('reads another folder when given one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'carnet-synthea-'));
    try {
      const patient = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] };
      const orgs = { resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Organization' } }] };
      writeFileSync(join(dir, 'b.json'), JSON.stringify(patient));
      writeFileSync(join(dir, 'a.json'), JSON.stringify(patient));
      writeFileSync(join(dir, 'orgs.json'), JSON.stringify(orgs));
      writeFileSync(join(dir, 'notes.txt'), 'not a bundle');
      expect(loadSyntheaBundles(dir).map((b) => b.file)).toEqual(['a.json', 'b.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('clinicalFromSynthea on every Synthea bundle', () => {
  it('keeps only the clinical types, with no id, narrative, meta or extension', () => {
    for (const [file, out] of outputs) {
      for (const r of out) {
        expect(KEPT.has(r.resourceType as string), `${file}: ${String(r.resourceType)}`).toBe(true);
        expect(r.id, file).toBeUndefined();
        expect(r.text, file).toBeUndefined();
        expect(r.meta, file).toBeUndefined();
        expect(valuesOf(r, 'extension'), file).toEqual([]);
        expect(valuesOf(r, 'modifierExtension'), file).toEqual([]);
      }
    }
  });

  it('refers only to the target patient and practitioner', () => {
    const allowed = new Set([`Patient/${target.patientId}`, target.practitionerRef]);
    for (const [file, out] of outputs) {
      for (const r of out) {
        const refs = valuesOf(r, 'reference');
        expect(refs.filter((ref) => !allowed.has(ref as string)), `${file}: ${JSON.stringify(r)}`).toEqual([]);
        const about = r.subject ?? r.patient;
        expect(about, file).toEqual({ reference: `Patient/${target.patientId}` });
      }
    }
  });

  it('returns at most `limit` resources', () => {
    for (const [file, out] of outputs) expect(out.length, file).toBeLessThanOrEqual(50);
    for (const { file, bundle } of bundles.slice(0, 6)) {
      for (const limit of [0, 1, 7, 20]) {
        expect(clinicalFromSynthea(bundle, { ...target, limit }).length, `${file} limit ${limit}`).toBeLessThanOrEqual(limit);
      }
    }
  });

  it('gives every adult at least 40 resources for limit 50', () => {
    const adults = bundles.filter((b) => ageAtEndOfRecord(b.bundle) >= 18);
    expect(adults.length).toBeGreaterThan(0);
    const short = adults
      .map(({ file }) => ({ file, count: outputs.get(file)!.length }))
      .filter(({ count }) => count < 40);
    expect(short, `bundles with fewer than 40 resources: ${JSON.stringify(short)}`).toEqual([]);
  });

  it('produces valid FHIR R4 only, shifted or not', () => {
    for (const { file, bundle } of bundles) {
      const shifted = clinicalFromSynthea(bundle, { ...target, newestDate: '2026-03-15' });
      for (const r of [...outputs.get(file)!, ...shifted]) {
        expect(validationIssues(r), `${file}: ${JSON.stringify(r)}`).toEqual([]);
      }
    }
  }, 60_000);

  it('keeps a realistic mix, allergies and active conditions first', () => {
    for (const { file, bundle } of bundles) {
      const out = outputs.get(file)!;
      const source = resourcesOf(bundle);
      const allergies = source.filter((r) => r.resourceType === 'AllergyIntolerance').length;
      expect(out.filter((r) => r.resourceType === 'AllergyIntolerance').length, file).toBe(Math.min(allergies, 8));
      const activeCodes = new Set(
        source
          .filter((r) => r.resourceType === 'Condition' && !r.abatementDateTime)
          .map((r) => JSON.stringify((r.code as { coding: unknown[] }).coding[0])),
      );
      const keptConditions = out.filter((r) => r.resourceType === 'Condition');
      expect(keptConditions.length, file).toBeGreaterThanOrEqual(Math.min(activeCodes.size, 10));
      expect(out.filter((r) => r.resourceType === 'Observation').length, file).toBeGreaterThanOrEqual(20);
    }
  });

  it('is deterministic and does not change its input', () => {
    for (const { file, bundle } of bundles.slice(0, 8)) {
      const before = JSON.stringify(bundle);
      const again = clinicalFromSynthea(structuredClone(bundle), target);
      expect(again, file).toEqual(outputs.get(file));
      expect(clinicalFromSynthea(bundle, { ...target, newestDate: '2025-01-31' })).toEqual(
        clinicalFromSynthea(bundle, { ...target, newestDate: '2025-01-31' }),
      );
      expect(JSON.stringify(bundle), file).toBe(before);
    }
  });
});

describe('newestDate', () => {
  /** The instant of a date string, date-only values read as midnight UTC. */
  const instant = (d: string) => Date.parse(d.length === 10 ? `${d}T00:00:00Z` : d);

  function checkShift(bundle: unknown, newestDate: string): void {
    const plain = clinicalFromSynthea(bundle, target);
    const shifted = clinicalFromSynthea(bundle, { ...target, newestDate });
    const before = datesOf(plain);
    const after = datesOf(shifted);
    expect(after.length).toBe(before.length);
    expect(after.map((d) => d.slice(0, 10)).sort().at(-1)).toBe(newestDate);
    // Same shift for every date (whole days), hence the same order.
    const delta = instant(after[0]!) - instant(before[0]!);
    expect(Math.abs(delta % 86_400_000)).toBe(0);
    before.forEach((d, i) => expect(instant(after[i]!) - instant(d)).toBe(delta));
    const order = (ds: string[]) => ds.map((d, i) => [instant(d), i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map((x) => x[1]);
    expect(order(after)).toEqual(order(before));
    // Nothing but dates changes.
    const strip = (v: unknown) => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'string' && DATE.test(x) ? 'D' : x));
    expect(strip(shifted)).toBe(strip(plain));
  }

  it('puts the newest date on that day and keeps the order of dates, for every bundle', () => {
    for (const { file, bundle } of bundles) {
      try {
        checkShift(bundle, '2026-03-15');
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
    }
  }, 60_000);

  it('works for any target day (property)', () => {
    const bundle = bundles[0]!.bundle;
    const day = fc
      .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(fc.property(day, (d) => checkShift(bundle, d)), { numRuns: 25 });
  }, 60_000);

  it('rejects a malformed day', () => {
    expect(() => clinicalFromSynthea(bundles[0]!.bundle, { ...target, newestDate: '15/03/2026' })).toThrow(/YYYY-MM-DD/);
  });
});

describe('rewriting rules on a hand-made bundle', () => {
  const bundle = {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: 'urn:uuid:p', resource: { resourceType: 'Patient', id: 'p' } },
      { fullUrl: 'urn:uuid:e', resource: { resourceType: 'Encounter', id: 'e', status: 'finished' } },
      { fullUrl: 'urn:uuid:c', resource: { resourceType: 'Claim', id: 'c' } },
      {
        fullUrl: 'urn:uuid:cond',
        resource: {
          resourceType: 'Condition',
          id: 'cond',
          text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">John Doe</div>' },
          meta: { tag: [{ system: 'https://smarthealthit.org/tags', code: 'synthea-5-2019' }] },
          code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }], text: 'Hypertension' },
          subject: { reference: 'urn:uuid:p' },
          encounter: { reference: 'urn:uuid:e' },
          onsetDateTime: '2010-05-01T10:00:00+00:00',
        },
      },
      {
        fullUrl: 'urn:uuid:m1',
        resource: {
          resourceType: 'MedicationRequest',
          id: 'm1',
          status: 'stopped',
          intent: 'order',
          medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '316049' }] },
          subject: { reference: 'urn:uuid:p' },
          encounter: { reference: 'urn:uuid:e' },
          authoredOn: '2011-01-01T10:00:00+00:00',
          requester: { reference: 'urn:uuid:doc' },
          reasonReference: [{ reference: 'urn:uuid:cond' }],
          dosageInstruction: [{ sequence: 1, asNeededBoolean: false }],
        },
      },
      {
        fullUrl: 'urn:uuid:m2',
        resource: {
          resourceType: 'MedicationRequest',
          id: 'm2',
          status: 'active',
          intent: 'order',
          medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '316672' }] },
          subject: { reference: 'urn:uuid:p' },
          authoredOn: '2012-01-01T10:00:00+00:00',
          dosageInstruction: [{ sequence: 'first' }],
        },
      },
      {
        fullUrl: 'urn:uuid:o',
        resource: {
          resourceType: 'Observation',
          id: 'o',
          extension: [{ url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race', valueString: 'x' }],
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body Weight' }], text: 'Body Weight' },
          subject: { reference: 'urn:uuid:p' },
          encounter: { reference: 'urn:uuid:e' },
          hasMember: [{ reference: 'urn:uuid:x' }],
          derivedFrom: [{ reference: 'urn:uuid:y' }],
          performer: [{ reference: 'urn:uuid:doc' }, { reference: 'urn:uuid:org' }],
          effectiveDateTime: '2013-01-01T10:00:00+00:00',
          valueQuantity: { value: 72.34567891234, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
        },
      },
      {
        fullUrl: 'urn:uuid:death',
        resource: {
          resourceType: 'Observation',
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'exam' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '69453-9' }] },
          subject: { reference: 'urn:uuid:p' },
        },
      },
    ],
  };
  const out = clinicalFromSynthea(bundle, target);
  const byType = (t: string) => out.filter((r) => r.resourceType === t);
  const doctor = { reference: target.practitionerRef, display: target.practitionerDisplay };

  it('drops the other types and the exam observations', () => {
    expect(out.map((r) => r.resourceType).sort()).toEqual(['Condition', 'MedicationStatement', 'MedicationStatement', 'Observation']);
  });

  it('strips id, narrative, meta and the encounter, and attributes the condition to the practitioner', () => {
    expect(byType('Condition')[0]).toEqual({
      resourceType: 'Condition',
      code: { coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }], text: 'Hypertension' },
      subject: { reference: `Patient/${target.patientId}` },
      onsetDateTime: '2010-05-01T10:00:00+00:00',
      recorder: doctor,
    });
  });

  it('turns MedicationRequests into MedicationStatements', () => {
    const [active, completed] = byType('MedicationStatement');
    expect(active).toMatchObject({ status: 'active', effectivePeriod: { start: '2012-01-01T10:00:00+00:00' } });
    expect(active!.dosage).toBeUndefined(); // its dosage was not valid
    expect(completed).toEqual({
      resourceType: 'MedicationStatement',
      status: 'completed',
      medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code: '316049' }] },
      subject: { reference: `Patient/${target.patientId}` },
      effectiveDateTime: '2011-01-01T10:00:00+00:00',
      informationSource: doctor,
      dosage: [{ sequence: 1, asNeededBoolean: false }],
      reasonCode: [{ coding: [{ system: 'http://snomed.info/sct', code: '38341003', display: 'Hypertension' }], text: 'Hypertension' }],
    });
  });

  it('removes links to resources not carried over and US extensions, and rounds values', () => {
    const [obs] = byType('Observation');
    expect(obs!.extension).toBeUndefined();
    expect(obs!.hasMember).toBeUndefined();
    expect(obs!.derivedFrom).toBeUndefined();
    expect(obs!.encounter).toBeUndefined();
    expect(obs!.performer).toEqual([doctor]);
    expect(obs!.valueQuantity).toMatchObject({ value: 72.3 });
    expect((obs!.code as Json).text).toBe('Poids');
  });

  it('returns nothing for something that is not a bundle', () => {
    expect(clinicalFromSynthea(null, target)).toEqual([]);
    expect(clinicalFromSynthea({ resourceType: 'Bundle' }, target)).toEqual([]);
  });
});
