import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { clientToken } from './support/client-token.js';
import { insuredPatient, professional } from './support/care.js';

/**
 * The measures through the application API (docs/measures.md): recording with units and conversions, the BMI,
 * targets, the dashboard, children's growth charts against named references; bad input refused naming the
 * field with nothing stored; a partner app's Observation transaction through /fhir checked the same way; and
 * who must not read them.
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

type Res = { status: number; body: any; headers: Headers };
async function call(method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await tc.request(method, url, { token, ...(body !== undefined ? { json: body, headers: { 'content-type': 'application/json', ...headers } } : { headers }) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const DAY = 86_400_000;
/** The day `days` from today (negative: in the past), YYYY-MM-DD. */
const day = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);

async function adult(): Promise<{ id: string; token: string }> {
  const id = randomUUID();
  const token = await tc.patient(id, { name: [{ family: 'Martin', given: ['Camille'] }], gender: 'female', birthDate: '1988-03-14' });
  return { id, token };
}

async function record(token: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<any> {
  const res = await call('POST', '/api/profile/measures', token, body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

const series = async (token: string, code: string, headers: Record<string, string> = {}) => {
  const res = await call('GET', `/api/profile/measures?code=${code}`, token, undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

/** Every Observation of a record, read through /fhir by its patient. */
async function observations(token: string, patientId: string): Promise<any[]> {
  const res = await call('GET', `/fhir/Observation?patient=${patientId}&_count=100`, token);
  expect(res.status).toBe(200);
  return (res.body.entry ?? []).map((e: any) => e.resource);
}

describe('recording and listing', () => {
  it('records a measure as a mes-mesures Observation, converts the units and lists the series oldest first', async () => {
    const p = await adult();
    const first = await record(p.token, { code: 'WEIGHT', value: 70.5, unit: 'kg', date: day(-10) });
    expect(first).toMatchObject({ code: 'WEIGHT', value: 70.5, unit: 'kg', date: day(-10), source: { kind: 'patient' } });
    const pounds = await record(p.token, { code: 'WEIGHT', value: 154, unit: '[lb_av]', date: `${day(-5)}T07:30:00+01:00` });
    expect(pounds).toMatchObject({ value: 69.85, unit: 'kg' });

    const list = await series(p.token, 'WEIGHT');
    expect(list.measures.map((m: any) => m.value)).toEqual([70.5, 69.85]);
    expect(list.target).toBeNull();
    expect((await series(p.token, 'HEIGHT')).measures).toEqual([]);
    const recent = await call('GET', `/api/profile/measures?code=WEIGHT&from=${day(-7)}`, p.token);
    expect(recent.body.measures.map((m: any) => m.id)).toEqual([pounds.id]);

    const fhir = (await call('GET', `/fhir/Observation/${pounds.id}`, p.token)).body;
    expect(fhir).toMatchObject({
      meta: { profile: ['https://fhir.monespacesante.fr/ref/mesure/StructureDefinition/mes-observation-bodyweight'] },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
      subject: { reference: `Patient/${p.id}` },
      valueQuantity: { value: 69.85, system: 'http://unitsofmeasure.org', code: 'kg' },
      performer: [{ reference: `Patient/${p.id}` }],
    });
  });

  it('records a blood pressure as its two components, in mmHg', async () => {
    const p = await adult();
    const bp = await record(p.token, { code: 'BLOOD_PRESSURE', systolic: 12.5, diastolic: 8, unit: 'cm[Hg]', date: day(-1) });
    expect(bp).toMatchObject({ code: 'BLOOD_PRESSURE', systolic: 125, diastolic: 80, unit: 'mm[Hg]' });
    const fhir = (await call('GET', `/fhir/Observation/${bp.id}`, p.token)).body;
    expect(fhir.code.coding[0].code).toBe('85354-9');
    expect(fhir.valueQuantity).toBeUndefined();
    expect(fhir.component.map((c: any) => [c.code.coding[0].code, c.valueQuantity.value, c.valueQuantity.code])).toEqual([
      ['8480-6', 125, 'mm[Hg]'],
      ['8462-4', 80, 'mm[Hg]'],
    ]);
  });

  it('deletes a measure, and only one of the profile', async () => {
    const p = await adult();
    const other = await adult();
    const m = await record(p.token, { code: 'HEART_RATE', value: 62, unit: '/min', date: day(-1) });
    expect((await call('DELETE', `/api/profile/measures/${m.id}`, other.token)).status).toBe(404);
    expect((await call('DELETE', `/api/profile/measures/${m.id}`, p.token)).status).toBe(204);
    expect((await series(p.token, 'HEART_RATE')).measures).toEqual([]);
    expect((await call('DELETE', `/api/profile/measures/${m.id}`, p.token)).body.code).toBe('measures.not-found');
  });

  it('gives the catalogue', async () => {
    const p = await adult();
    const res = await call('GET', '/api/profile/measures/catalogue', p.token);
    const weight = res.body.measures.find((m: any) => m.code === 'WEIGHT');
    expect(weight).toMatchObject({ loinc: '29463-7', units: ['kg', 'g', '[lb_av]'], min: 0.3, max: 400, computed: false });
    expect(res.body.measures.find((m: any) => m.code === 'BODY_MASS_INDEX')).toMatchObject({ loinc: '39156-5', computed: true });
  });
});

describe('the BMI', () => {
  it('is computed from the weight and the height (derivedFrom both), once per day, and goes with them', async () => {
    const p = await adult();
    const weight = await record(p.token, { code: 'WEIGHT', value: 72, unit: 'kg', date: day(-40) });
    expect((await series(p.token, 'BODY_MASS_INDEX')).measures).toEqual([]);
    const height = await record(p.token, { code: 'HEIGHT', value: 1.65, unit: 'm', date: day(-5) });
    expect(height).toMatchObject({ value: 165, unit: 'cm' });
    let bmis = (await series(p.token, 'BODY_MASS_INDEX')).measures;
    expect(bmis).toEqual([expect.objectContaining({ value: 26.45, unit: 'kg/m2', date: day(-5) })]);
    const fhir = (await call('GET', `/fhir/Observation/${bmis[0].id}`, p.token)).body;
    expect(fhir.derivedFrom.map((r: any) => r.reference).sort()).toEqual([`Observation/${weight.id}`, `Observation/${height.id}`].sort());
    expect(fhir.meta.profile).toEqual(['https://fhir.monespacesante.fr/ref/mesure/StructureDefinition/mes-observation-bmi']);

    // a new weight the same day replaces that day's BMI
    const sameDay = await record(p.token, { code: 'WEIGHT', value: 68, unit: 'kg', date: day(-5) });
    bmis = (await series(p.token, 'BODY_MASS_INDEX')).measures;
    expect(bmis.map((b: any) => b.value)).toEqual([24.98]);
    // deleting a measure it came from deletes it
    expect((await call('DELETE', `/api/profile/measures/${sameDay.id}`, p.token)).status).toBe(204);
    expect((await series(p.token, 'BODY_MASS_INDEX')).measures).toEqual([]);
    // it is never entered
    const entered = await call('POST', '/api/profile/measures', p.token, { code: 'BODY_MASS_INDEX', value: 22, unit: 'kg/m2', date: day(-1) });
    expect([entered.status, entered.body.code]).toEqual([422, 'measures.computed']);
  });

  it('is not computed for an adult from a height older than a year', async () => {
    const p = await adult();
    await record(p.token, { code: 'HEIGHT', value: 170, unit: 'cm', date: day(-400) });
    await record(p.token, { code: 'WEIGHT', value: 65, unit: 'kg', date: day(-1) });
    expect((await series(p.token, 'BODY_MASS_INDEX')).measures).toEqual([]);
  });
});

describe('bad input', () => {
  it.each([
    [{ code: 'WEIGHT', value: 900, unit: 'kg' }, 422, 'measures.implausible', 'value'],
    [{ code: 'WEIGHT', value: 2000, unit: '[lb_av]' }, 422, 'measures.implausible', 'value'],
    [{ code: 'WEIGHT', value: 70, unit: 'kg', date: day(3) }, 422, 'measures.future', 'date'],
    [{ code: 'WEIGHT', value: 70, unit: 'kg', date: new Date(Date.now() + 3_600_000).toISOString() }, 422, 'measures.future', 'date'],
    [{ code: 'WEIGHT', value: 70, unit: 'stone' }, 422, 'measures.unit', 'unit'],
    [{ code: 'GLUCOSE', value: 1, unit: 'kg' }, 422, 'measures.unit', 'unit'],
    [{ code: 'CHOLESTEROL', value: 2, unit: 'g/L' }, 422, 'measures.code', 'code'],
    [{ code: 'BLOOD_PRESSURE', systolic: 120, unit: 'mm[Hg]' }, 400, 'request.invalid', 'diastolic'],
    [{ code: 'BLOOD_PRESSURE', systolic: 350, diastolic: 80, unit: 'mm[Hg]' }, 422, 'measures.implausible', 'systolic'],
    [{ code: 'BLOOD_PRESSURE', systolic: 80, diastolic: 120, unit: 'mm[Hg]' }, 422, 'measures.implausible', 'diastolic'],
    [{ code: 'WEIGHT', value: '70', unit: 'kg' }, 400, 'request.invalid', 'value'],
    [{ code: 'WEIGHT', value: 70, unit: 'kg', date: '31/12/2025' }, 400, 'request.invalid', 'date'],
  ])('refuses %j (%i %s naming %s) and stores nothing', async (input, status, code, field) => {
    const p = await adult();
    const res = await call('POST', '/api/profile/measures', p.token, { date: day(-1), ...input });
    expect([res.status, res.body.code]).toEqual([status, code]);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body.title).toMatch(new RegExp(`^${field}\\b`));
    expect(res.body.fields).toEqual([field]);
    expect(await observations(p.token, p.id)).toEqual([]);
  });

  it('refuses a bad query', async () => {
    const p = await adult();
    expect((await call('GET', '/api/profile/measures', p.token)).status).toBe(400);
    expect((await call('GET', '/api/profile/measures?code=FOO', p.token)).body.code).toBe('measures.code');
    expect((await call('GET', '/api/profile/measures?code=WEIGHT&from=hier', p.token)).status).toBe(400);
  });
});

describe('targets and the dashboard', () => {
  it('keeps one target per measure, shows the chosen tiles with the last measure and the target', async () => {
    const p = await adult();
    const initial = await call('GET', '/api/profile/measures/dashboard', p.token);
    expect(initial.body.tiles).toEqual(['WEIGHT', 'BLOOD_PRESSURE', 'GLUCOSE', 'HEART_RATE'].map((code) => ({ code, last: null, target: null })));

    expect((await call('PUT', '/api/profile/measures/targets/WEIGHT', p.token, { low: 60, high: 68 })).body).toEqual({ code: 'WEIGHT', low: 60, high: 68 });
    expect((await call('PUT', '/api/profile/measures/targets/WEIGHT', p.token, { high: 65 })).body).toEqual({ code: 'WEIGHT', high: 65 });
    expect((await call('PUT', '/api/profile/measures/targets/BLOOD_PRESSURE', p.token, { high: 135 })).body).toEqual({ code: 'BLOOD_PRESSURE', high: 135 });
    const goals = (await call('GET', `/fhir/Goal?patient=${p.id}`, p.token)).body.entry.map((e: any) => e.resource);
    expect(goals).toHaveLength(2);
    const weightGoal = goals.find((g: any) => g.target[0].measure.coding[0].code === '29463-7');
    expect(weightGoal.target[0].detailRange).toEqual({ high: { value: 65, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' } });

    await record(p.token, { code: 'WEIGHT', value: 67, unit: 'kg', date: day(-3) });
    const last = await record(p.token, { code: 'WEIGHT', value: 66.2, unit: 'kg', date: day(-1) });
    const bp = await record(p.token, { code: 'BLOOD_PRESSURE', systolic: 128, diastolic: 82, unit: 'mm[Hg]', date: day(-2) });
    expect((await series(p.token, 'WEIGHT')).target).toEqual({ code: 'WEIGHT', high: 65 });

    const chosen = await call('PUT', '/api/profile/measures/dashboard', p.token, { codes: ['BLOOD_PRESSURE', 'WEIGHT', 'STEPS_BY_DAY'] });
    expect(chosen.status).toBe(200);
    expect(chosen.body.tiles).toEqual([
      { code: 'BLOOD_PRESSURE', last: bp, target: { code: 'BLOOD_PRESSURE', high: 135 } },
      { code: 'WEIGHT', last, target: { code: 'WEIGHT', high: 65 } },
      { code: 'STEPS_BY_DAY', last: null, target: null },
    ]);
    expect((await call('GET', '/api/profile/measures/dashboard', p.token)).body).toEqual(chosen.body);

    expect((await call('DELETE', '/api/profile/measures/targets/WEIGHT', p.token)).status).toBe(204);
    expect((await series(p.token, 'WEIGHT')).target).toBeNull();
  });

  it('refuses bad targets and dashboards', async () => {
    const p = await adult();
    const bad = async (method: string, url: string, body: unknown) => {
      const res = await call(method, url, p.token, body);
      return [res.status, res.body.code, (res.body.fields ?? []).join(',')];
    };
    expect(await bad('PUT', '/api/profile/measures/targets/WEIGHT', { low: 500 })).toEqual([422, 'measures.implausible', 'low']);
    expect(await bad('PUT', '/api/profile/measures/targets/WEIGHT', { low: 70, high: 60 })).toEqual([422, 'measures.target-range', 'low']);
    expect(await bad('PUT', '/api/profile/measures/targets/WEIGHT', {})).toEqual([400, 'request.invalid', 'low,high']);
    expect(await bad('PUT', '/api/profile/measures/targets/FOO', { low: 1 })).toEqual([422, 'measures.code', 'code']);
    expect(await bad('PUT', '/api/profile/measures/dashboard', { codes: ['WEIGHT', 'FOO'] })).toEqual([422, 'measures.code', 'codes']);
    expect(await bad('PUT', '/api/profile/measures/dashboard', { codes: ['WEIGHT', 'WEIGHT'] })).toEqual([400, 'request.invalid', 'codes']);
    expect((await call('GET', `/fhir/Goal?patient=${p.id}`, p.token)).body.entry ?? []).toEqual([]);
  });
});

describe('growth charts', () => {
  it("draws a child's measures, whoever wrote them, against named references", async () => {
    const parentId = randomUUID();
    const childId = randomUUID();
    const parent = await tc.user({ role: 'patient', patientId: parentId, represents: [{ patientId: childId, relation: 'parent' }] });
    const forChild = { 'x-acting-for': childId };
    const birth = day(-(3 * 365 + 40));
    for (const [id, resource] of [
      [parentId, { gender: 'female', birthDate: '1988-03-14' }],
      [childId, { gender: 'female', birthDate: birth }],
    ] as const) {
      expect((await tc.request('PUT', `/fhir/Patient/${id}`, { token: parent, json: { resourceType: 'Patient', id, ...resource } })).status).toBe(201);
    }
    const at = (months: number) => new Date(Date.parse(birth) + months * 30.4375 * DAY).toISOString().slice(0, 10);
    const visits: [number, number, number, number][] = [
      [0, 3.2, 49.1, 33.9],
      [6, 7.3, 65.7, 42.2],
      [12, 8.9, 74.0, 44.9],
      [24, 11.5, 86.4, 47.2],
    ];
    for (const [months, kg, cm, head] of visits) {
      await record(parent, { code: 'WEIGHT', value: kg, unit: 'kg', date: at(months) }, forChild);
      await record(parent, { code: 'HEIGHT', value: cm, unit: 'cm', date: at(months) }, forChild);
      await record(parent, { code: 'HEAD_CIRCUMFERENCE', value: head, unit: 'cm', date: at(months) }, forChild);
    }
    // a measure written through /fhir, in pounds (as an imported record would have it)
    const imported = await tc.request('POST', '/fhir/Observation', {
      token: parent,
      json: {
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '29463-7', display: 'Body Weight' }] },
        subject: { reference: `Patient/${childId}` },
        effectiveDateTime: at(30),
        valueQuantity: { value: 28, unit: 'lbs', system: 'http://unitsofmeasure.org', code: '[lb_av]' },
      },
    });
    expect(imported.status).toBe(201);

    const chart = async (q: string) => {
      const res = await call('GET', `/api/profile/growth?${q}`, parent, undefined, forChild);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const weight = await chart('measure=weight');
    expect(weight).toMatchObject({ measure: 'weight', sex: 'female', birthDate: birth, unit: 'kg', reference: { id: 'who', name: 'OMS 2006/2007' } });
    expect(weight.reference.citation).toMatch(/WHO Child Growth Standards/);
    expect(weight.points.map((pt: any) => pt.value)).toEqual([3.2, 7.3, 8.9, 11.5, 12.7]);
    expect(weight.points[2].ageMonths).toBeCloseTo(12, 1);
    expect(weight.curves.filter((c: any) => c.emphasis).map((c: any) => c.key)).toEqual(['C3', 'C50', 'C97']);
    const c50 = weight.curves.find((c: any) => c.key === 'C50');
    // WHO girls: median weight at 12 months 8.9 kg
    expect(c50.points.find((pt: any) => pt.ageMonths === 12).value).toBeCloseTo(8.95, 1);
    expect(c50.points[c50.points.length - 1].ageMonths).toBeGreaterThanOrEqual(48);

    const height = await chart('measure=height');
    expect(height.curves.filter((c: any) => c.emphasis).map((c: any) => c.key)).toEqual(['SD-2', 'SD0', 'SD+2']);
    expect(height.points).toHaveLength(4);
    expect((await chart('measure=head-circumference')).points.map((pt: any) => pt.value)).toEqual([33.9, 42.2, 44.9, 47.2]);

    // the BMI: IOTF by default from 2 years, the WHO on request; computed the same day from the child's measures
    const bmi = await chart('measure=bmi');
    expect(bmi.reference).toMatchObject({ id: 'iotf', name: 'IOTF (Cole et Lobstein 2012)' });
    expect(bmi.references).toEqual([{ id: 'who', name: 'OMS 2006/2007' }]);
    expect(bmi.points.map((pt: any) => pt.value)).toEqual([13.27, 16.91, 16.25, 15.41]);
    expect(bmi.curves.map((c: any) => c.key)).toContain('IOTF-25');
    const whoBmi = await chart('measure=bmi&source=who');
    expect(whoBmi.reference.id).toBe('who');
    expect(whoBmi.curves.map((c: any) => c.key)).toEqual(['SD-3', 'SD-2', 'SD-1', 'SD0', 'SD+1', 'SD+2', 'SD+3']);

    // bad requests, and an adult
    expect((await call('GET', '/api/profile/growth?measure=foot', parent, undefined, forChild)).status).toBe(400);
    const wrongSource = await call('GET', '/api/profile/growth?measure=weight&source=iotf', parent, undefined, forChild);
    expect([wrongSource.status, wrongSource.body.code, wrongSource.body.fields]).toEqual([422, 'growth.reference', ['source']]);
    const grown = await call('GET', '/api/profile/growth?measure=weight', parent);
    expect([grown.status, grown.body.code, grown.body.fields]).toEqual([422, 'growth.not-a-child', ['birthDate']]);
  });
});

/** A connected app's token for a patient: another OAuth client than the web app, with SMART scopes. */
const appToken = (userToken: string, scope: string): Promise<string> => clientToken(tc, userToken, 'balance-connectee', scope);

describe("a partner app's measures through /fhir", () => {
  /** The "API Mesures de santé" write: a transaction with the Device (conditional create) and one Observation. */
  const transaction = (patientId: string, kg: number) => ({
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:0d6a1c9e-3b1f-4a55-9f61-3c2d8c1b7a01',
        resource: {
          resourceType: 'Device',
          identifier: [{ system: 'urn:oid:1.2.250.1.999.42.1', value: 'scale-0042' }],
          deviceName: [{ name: 'Balance connectée', type: 'user-friendly-name' }],
          patient: { reference: `Patient/${patientId}` },
        },
        request: { method: 'POST', url: 'Device', ifNoneExist: 'identifier=urn:oid:1.2.250.1.999.42.1|scale-0042' },
      },
      {
        fullUrl: 'urn:uuid:0d6a1c9e-3b1f-4a55-9f61-3c2d8c1b7a02',
        resource: {
          resourceType: 'Observation',
          meta: { profile: ['https://fhir.monespacesante.fr/ref/mesure/StructureDefinition/mes-observation-bodyweight'], source: 'urn:oid:1.2.250.1.999.42' },
          status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] },
          subject: { reference: `Patient/${patientId}` },
          effectiveDateTime: new Date(Date.now() - 3_600_000).toISOString(),
          valueQuantity: { value: kg, unit: 'kg', system: 'http://unitsofmeasure.org', code: 'kg' },
          device: { reference: 'urn:uuid:0d6a1c9e-3b1f-4a55-9f61-3c2d8c1b7a01', display: 'Balance connectée' },
        },
        request: { method: 'POST', url: 'Observation' },
      },
    ],
  });

  it('refuses 900 kg as the web app does, storing nothing, and accepts a good weight shown with the app as its source', async () => {
    const p = await adult();
    const app = await appToken(p.token, 'user/Observation.cruds user/Device.cruds');
    const refused = await tc.request('POST', '/fhir', { token: app, json: transaction(p.id, 900) });
    expect(refused.status).toBe(422);
    const outcome = await refused.json();
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(JSON.stringify(outcome.issue.flatMap((i: any) => i.expression ?? []))).toContain('Observation.valueQuantity.value');
    expect(await observations(p.token, p.id)).toEqual([]);
    expect((await call('GET', `/fhir/Device?patient=${p.id}`, p.token)).body.entry ?? []).toEqual([]);

    const future = await tc.request('POST', '/fhir', {
      token: app,
      json: { ...transaction(p.id, 72), entry: transaction(p.id, 72).entry.map((e: any) => (e.resource.resourceType === 'Observation' ? { ...e, resource: { ...e.resource, effectiveDateTime: day(5) } } : e)) },
    });
    expect(future.status).toBe(422);
    expect(JSON.stringify(await future.json())).toContain('Observation.effectiveDateTime');

    const accepted = await tc.request('POST', '/fhir', { token: app, json: transaction(p.id, 72.4) });
    expect(accepted.status, await accepted.clone().text()).toBe(200);
    const weights = (await series(p.token, 'WEIGHT')).measures;
    expect(weights).toEqual([expect.objectContaining({ value: 72.4, unit: 'kg', source: { kind: 'app', name: 'Balance connectée' } })]);
    expect((await call('GET', '/api/profile/measures/dashboard', p.token)).body.tiles[0].last.id).toBe(weights[0].id);
  });
});

describe('who reads the measures', () => {
  it('not a professional with access, nor another patient', async () => {
    const p = await insuredPatient(tc);
    const other = await insuredPatient(tc);
    const pro = await professional(tc);
    expect((await tc.request('POST', `/api/pro/patients/${p.patientId}/access`, { token: pro.token, json: { basis: 'consent' } })).status).toBe(201);
    const m = await record(p.token, { code: 'WEIGHT', value: 70, unit: 'kg', date: day(-1) });

    expect((await call('GET', `/fhir/Observation?patient=${p.patientId}`, pro.token)).status).toBe(403);
    expect([403, 404]).toContain((await call('GET', `/fhir/Observation/${m.id}`, pro.token)).status);
    expect((await call('GET', '/api/profile/measures?code=WEIGHT', pro.token)).status).toBe(403);
    expect((await call('GET', '/api/profile/measures?code=WEIGHT', pro.token, undefined, { 'x-acting-for': p.patientId })).status).toBe(403);
    expect((await call('GET', '/api/profile/growth?measure=weight', pro.token, undefined, { 'x-acting-for': p.patientId })).status).toBe(403);

    const acting = await call('GET', '/api/profile/measures?code=WEIGHT', other.token, undefined, { 'x-acting-for': p.patientId });
    expect([acting.status, acting.body.code]).toEqual([403, 'acting-for.forbidden']);
    expect([403, 404]).toContain((await call('GET', `/fhir/Observation/${m.id}`, other.token)).status);
    expect((await series(other.token, 'WEIGHT')).measures).toEqual([]);
    expect((await call('DELETE', `/api/profile/measures/${m.id}`, other.token)).status).toBe(404);
    expect((await series(p.token, 'WEIGHT')).measures.map((x: any) => x.id)).toEqual([m.id]);
  });
});
