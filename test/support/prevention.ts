import { expect } from 'vitest';
import { addDays, addOffset } from '../../src/domain/prevention/dates.js';
import type { AgeOffset } from '../../src/domain/prevention/types.js';
import { parisToday } from '../../src/domain/profile/sections/common.js';
import type { TestCarnet } from './carnet.js';
import { insuredPatient, type TestPatient } from './care.js';

/**
 * Builders for the prevention tests (docs/prevention.md): people of a given age and sex with an open profile,
 * a parent acting for a child, vaccinations recorded through the profile API or written through /fhir as a
 * connected app would (ATC coding only), and marks set through the API. Dates are Paris civil dates computed
 * from Carnet's clock, so that "a 52-year-old" stays one whatever the day the tests run.
 */

type Json = Record<string, any>;
/** An answer: its status, its JSON body parsed (undefined when it is not JSON), its text and its headers. */
export interface Res {
  status: number;
  body: any;
  text: string;
  headers: Headers;
}

/** Carnet's day, in Paris (what the prevention API computes for). */
export const todayOf = (tc: TestCarnet): string => parisToday(tc.carnet.clock.now());

/** The birth date of someone who is `age` old today (e.g. { years: 52 }, { days: 10 }). */
export function bornAgo(tc: TestCarnet, age: AgeOffset): string {
  const neg: AgeOffset = { years: -(age.years ?? 0), months: -(age.months ?? 0) };
  return addDays(addOffset(todayOf(tc), neg), -(age.days ?? 0));
}

/** A day relative to Carnet's today (negative: past). */
export const dayFrom = (tc: TestCarnet, days: number): string => addDays(todayOf(tc), days);

/** An insured person born on that day, of that sex, with their Patient resource and their own user. */
export function personBorn(tc: TestCarnet, birthDate: string, sex: 'M' | 'F'): Promise<TestPatient> {
  return insuredPatient(tc, { birthDate, sex, given: sex === 'F' ? 'Claire' : 'Hugo' });
}

/** A parent (their own profile) and a child born on that day, the parent's user acting for both. */
export async function parentAndChild(
  tc: TestCarnet,
  childBirthDate: string,
  childSex: 'M' | 'F',
): Promise<{ parent: TestPatient; child: TestPatient; token: string; login: string; forChild: Record<string, string> }> {
  const parent = await insuredPatient(tc, { sex: 'F', birthDate: '1990-05-04', given: 'Camille' });
  const child = await personBorn(tc, childBirthDate, childSex);
  const login = `parent-${parent.patientId.slice(0, 8)}`;
  const token = await tc.user({ login, role: 'patient', patientId: parent.patientId, represents: [{ patientId: child.patientId, relation: 'parent' }] });
  return { parent, child, token, login, forChild: { 'x-acting-for': child.patientId } };
}

/** An /api or /fhir call with a JSON body (a `content-type` among `headers` wins), the answer read whole. */
export async function call(tc: TestCarnet, method: string, url: string, token: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const res = await tc.request(method, url, { token, headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers }, ...(body !== undefined ? { json: body } : {}) });
  const text = await res.text();
  return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : undefined, text, headers: res.headers };
}

/** GET /api/prevention, expected to succeed. */
export async function prevention(tc: TestCarnet, token: string, headers: Record<string, string> = {}): Promise<Json> {
  const res = await call(tc, 'GET', '/api/prevention', token, undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** GET /api/prevention/vaccinations, expected to succeed. */
export async function vaccinationCalendar(tc: TestCarnet, token: string, headers: Record<string, string> = {}): Promise<Json> {
  const res = await call(tc, 'GET', '/api/prevention/vaccinations', token, undefined, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** PUT /api/prevention/items/:code (the answer as it comes: status and body). */
export const putMark = (tc: TestCarnet, token: string, code: string, body: unknown, headers: Record<string, string> = {}): Promise<Res> =>
  call(tc, 'PUT', `/api/prevention/items/${encodeURIComponent(code)}`, token, body, headers);

/** PUT /api/prevention/items/:code, expected to succeed: the new view. */
export async function mark(tc: TestCarnet, token: string, code: string, body: Json, headers: Record<string, string> = {}): Promise<Json> {
  const res = await putMark(tc, token, code, body, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Records a vaccination through the profile API (a vaccine of the reference list), as the person or for a child. */
export async function recordVaccination(tc: TestCarnet, token: string, vaccineRefId: string, date: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await call(tc, 'POST', '/api/profile/sections/vaccinations', token, { vaccineRefId, date, administration: 'IMMUNIZ' }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Writes an Immunization through /fhir with only an ATC coding (as another app would), as the record's patient. */
export async function writeImmunization(tc: TestCarnet, token: string, patientId: string, atc: string, date: string, status = 'completed'): Promise<string> {
  const res = await tc.request('POST', '/fhir/Immunization', {
    token,
    json: {
      resourceType: 'Immunization',
      status,
      vaccineCode: { coding: [{ system: 'http://www.whocc.no/atc', code: atc }] },
      patient: { reference: `Patient/${patientId}` },
      occurrenceDateTime: date,
    },
  });
  const body = (await res.json()) as Json;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.id;
}

/** The item of a view with this code (or of this ref, the first one). */
export const item = (view: Json, code: string): Json | undefined => view.items.find((i: Json) => i.code === code);
export const itemsOf = (view: Json, ref: string): Json[] => view.items.filter((i: Json) => i.ref === ref);
