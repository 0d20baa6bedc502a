import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet, type TestResponse } from './support/carnet.js';
import { observation, patient, SYSTEMS } from './support/search-fixtures.js';

/**
 * Search paging (http://hl7.org/fhir/R4/search.html#count, http.html#paging): _count clamped to
 * FHIR_MAX_COUNT, next links that stay correct while data is being written (every resource that existed
 * when paging started is seen exactly once, never twice), with the default order and with _sort, with GET
 * and POST _search; _total=accurate and _summary=count.
 *
 * Each test pages through its own series of heart-rate observations (told apart by an identifier), so
 * that the resources one test writes never change what another one expects.
 */
let t: TestCarnet;
let token: string; // Gaëtan Bérenger, whose record is paged through
let other: string; // Maëlys Rivière, another patient writing the same series in her own record

const SERIES = 'urn:carnet:test:serie';
const HEART_RATE = { system: SYSTEMS.loinc, code: '8867-4', display: 'Fréquence cardiaque' };
const TEMPERATURE = { system: SYSTEMS.loinc, code: '8310-5', display: 'Température corporelle' };

const MAX_COUNT = 5;
const DEFAULT_COUNT = 3;

beforeAll(async () => {
  t = await startCarnet({ env: { FHIR_MAX_COUNT: String(MAX_COUNT), FHIR_DEFAULT_COUNT: String(DEFAULT_COUNT) } });
  token = await t.patient('gaetan', patient({ id: 'gaetan', family: 'Bérenger', given: ['Gaëtan'], gender: 'male', birthDate: '1976-10-05', nir13: '1761013055123' }));
  other = await t.patient('maelys', patient({ id: 'maelys', family: 'Rivière', given: ['Maëlys'], gender: 'female', birthDate: '1992-04-18', nir13: '2920469381045' }));
});
afterAll(() => t.close());

let serial = 0;
/** A heart-rate observation of the series, with its own id. */
function pulse(series: string, effective: string, opts: { patient?: string; status?: string; code?: typeof HEART_RATE; id?: string } = {}) {
  return observation({
    id: opts.id ?? `${series.toLowerCase()}-${String(++serial).padStart(4, '0')}`,
    patient: opts.patient ?? 'gaetan',
    code: opts.code ?? HEART_RATE,
    category: 'vital-signs',
    status: opts.status ?? 'final',
    effective,
    identifier: { system: SERIES, value: series },
    value: opts.code === TEMPERATURE ? { value: 36.5 + (serial % 10) / 10, unit: '°C', code: 'Cel' } : { value: 60 + (serial % 40), unit: '/min', code: '/min' },
  });
}

async function put(tok: string, resource: Record<string, unknown>): Promise<any> {
  const res = await t.request('PUT', `/fhir/Observation/${resource.id as string}`, { token: tok, json: resource });
  if (res.status !== 201 && res.status !== 200) throw new Error(`PUT Observation/${resource.id as string}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** POST a new one (server-assigned id). */
async function create(tok: string, resource: Record<string, unknown>): Promise<any> {
  const { id: _ignored, ...body } = resource;
  const res = await t.request('POST', '/fhir/Observation', { token: tok, json: body });
  if (res.status !== 201) throw new Error(`POST Observation: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Seven days at 08:00 Paris time, the 4th day three times (ties across page boundaries). */
const DAYS = ['01', '02', '03', '04', '04', '04', '05', '06', '07'].map((d) => `2024-01-${d}T08:00:00+01:00`);

async function writeSeries(series: string, statuses?: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, day] of DAYS.entries()) {
    ids.push((await put(token, pulse(series, day, statuses ? { status: statuses[i % statuses.length]! } : {}))).id);
  }
  // the same series in someone else's record: never to be seen
  await put(other, pulse(series, DAYS[3]!, { patient: 'maelys' }));
  return ids;
}

const query = (q: string) => new URLSearchParams(q.split('&').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)] as [string, string])).toString();

async function searchset(res: TestResponse, what: string): Promise<any> {
  const text = await res.text();
  expect(res.status, `${what}: ${text.slice(0, 400)}`).toBe(200);
  const b = JSON.parse(text);
  expect(b.type).toBe('searchset');
  const ignored = (b.entry ?? []).filter((e: any) => e.search?.mode === 'outcome').flatMap((e: any) => e.resource.issue.map((i: any) => i.diagnostics));
  expect(ignored, `${what}: parameters reported as ignored`).toEqual([]);
  return b;
}

const matches = (b: any): any[] => (b.entry ?? []).filter((e: any) => e.search?.mode === 'match').map((e: any) => e.resource);
const nextLink = (b: any): string | undefined => b.link?.find((l: any) => l.relation === 'next')?.url;

/**
 * Follows the next links from the first page to the last, calling `between` after each page but the last.
 * Returns the matches in the order they were seen.
 */
async function pageThrough(first: TestResponse, count: number, between: (page: number) => Promise<void> = async () => undefined) {
  const seen: any[] = [];
  let res = first;
  for (let page = 1; ; page++) {
    const b = await searchset(res, `page ${page}`);
    const m = matches(b);
    expect(m.length, `page ${page}`).toBeLessThanOrEqual(count);
    seen.push(...m);
    const next = nextLink(b);
    if (!next) break;
    expect(next.startsWith(`${t.fhirBase}/Observation`), next).toBe(true);
    expect(page, 'too many pages').toBeLessThan(40);
    await between(page);
    res = await t.request('GET', next, { token });
  }
  return seen;
}

function expectEachOnce(seen: any[], initial: string[]): void {
  const ids = seen.map((r) => r.id as string);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  expect(dupes, 'seen twice').toEqual([]);
  expect(initial.filter((id) => !ids.includes(id)), 'never seen').toEqual([]);
}

const instant = (r: any) => new Date(r.effectiveDateTime).getTime();
const series = (r: any) => r.identifier?.[0]?.value;

describe('_count', () => {
  it('is clamped to FHIR_MAX_COUNT, and FHIR_DEFAULT_COUNT applies without it', async () => {
    const initial = await writeSeries('COUNT');
    const big = await searchset(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|COUNT&_count=50`)}`, { token }), '_count=50');
    expect(matches(big)).toHaveLength(MAX_COUNT);
    expect(nextLink(big)).toBeTruthy();
    const dflt = await searchset(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|COUNT`)}`, { token }), 'no _count');
    expect(matches(dflt)).toHaveLength(DEFAULT_COUNT);
    // and the clamped pages still cover the whole result
    const seen = await pageThrough(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|COUNT&_count=50`)}`, { token }), MAX_COUNT);
    expect(seen.map((r) => r.id).sort()).toEqual([...initial].sort());
  });
});

describe('paging while data is written', () => {
  it('default order: each resource present at the start is seen exactly once', async () => {
    const initial = await writeSeries('A');
    const seen = await pageThrough(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|A&_count=2`)}`, { token }), 2, async (page) => {
      await create(token, pulse('A', `2024-01-0${(page % 7) + 1}T09:00:00+01:00`));
      await put(token, pulse('A', '2024-01-04T08:00:00+01:00', { id: `a-0000-new-${page}` })); // sorts first by id
      await put(token, pulse('A', '2024-01-04T08:00:00+01:00', { id: `a-zzzz-new-${page}` })); // sorts last by id
      await put(other, pulse('A', '2024-01-04T08:00:00+01:00', { patient: 'maelys' }));
    });
    expectEachOnce(seen, initial);
    expect(seen.every((r) => series(r) === 'A' && r.subject.reference === 'Patient/gaetan')).toBe(true);
  });

  it('_sort=-date: each resource present at the start is seen exactly once, in order', async () => {
    const initial = await writeSeries('B');
    const seen = await pageThrough(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|B&_sort=-date&_count=2`)}`, { token }), 2, async (page) => {
      await create(token, pulse('B', `2025-06-0${(page % 9) + 1}T12:00:00+02:00`)); // newer than all: before the cursor
      await create(token, pulse('B', `2023-0${(page % 9) + 1}-15T12:00:00+01:00`)); // older than all: after it
      await create(token, pulse('B', '2024-01-04T08:00:00+01:00')); // on the tie
      await put(other, pulse('B', '2023-06-01T12:00:00+02:00', { patient: 'maelys' }));
    });
    expectEachOnce(seen, initial);
    for (let i = 1; i < seen.length; i++) {
      expect(instant(seen[i]), `${seen[i - 1].id} then ${seen[i].id}`).toBeLessThanOrEqual(instant(seen[i - 1]));
    }
    expect(seen.every((r) => series(r) === 'B' && r.subject.reference === 'Patient/gaetan')).toBe(true);
  });

  it('POST _search then next links by GET keep the criteria, _sort=date ascending', async () => {
    const initial = await writeSeries('C');
    // same series, another code: must be left out on every page
    for (const day of ['02', '05']) await put(token, pulse('C', `2024-01-${day}T10:00:00+01:00`, { code: TEMPERATURE }));
    const first = await t.request('POST', '/fhir/Observation/_search', {
      token,
      body: query(`identifier=${SERIES}|C&code=${SYSTEMS.loinc}|8867-4&_sort=date&_count=2`),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    const seen = await pageThrough(first, 2, async (page) => {
      await create(token, pulse('C', `2024-01-0${(page % 7) + 1}T07:00:00+01:00`));
      await create(token, pulse('C', `2024-01-0${(page % 7) + 1}T07:00:00+01:00`, { code: TEMPERATURE }));
    });
    expectEachOnce(seen, initial);
    expect(seen.every((r) => r.code.coding[0].code === '8867-4' && series(r) === 'C')).toBe(true);
    for (let i = 1; i < seen.length; i++) {
      expect(instant(seen[i]), `${seen[i - 1].id} then ${seen[i].id}`).toBeGreaterThanOrEqual(instant(seen[i - 1]));
    }
  });

  it('_sort=status,-date: a cursor on two keys', async () => {
    const initial = await writeSeries('D', ['final', 'amended', 'preliminary', 'final']);
    const seen = await pageThrough(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|D&_sort=status,-date&_count=2`)}`, { token }), 2, async (page) => {
      await create(token, pulse('D', `2024-01-0${(page % 7) + 1}T08:00:00+01:00`, { status: ['amended', 'final', 'preliminary'][page % 3]! }));
    });
    expectEachOnce(seen, initial);
    for (let i = 1; i < seen.length; i++) {
      const [a, b] = [seen[i - 1], seen[i]];
      const ordered = a.status < b.status || (a.status === b.status && instant(a) >= instant(b));
      expect(ordered, `${a.id} (${a.status} ${a.effectiveDateTime}) then ${b.id} (${b.status} ${b.effectiveDateTime})`).toBe(true);
    }
  });
});

describe('totals', () => {
  it('_total=accurate gives the number of matches on a paged result; _summary=count gives it alone', async () => {
    const initial = await writeSeries('E');
    const paged = await searchset(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|E&_total=accurate&_count=2`)}`, { token }), '_total');
    expect(paged.total).toBe(initial.length);
    expect(matches(paged)).toHaveLength(2);
    const second = await searchset(await t.request('GET', nextLink(paged)!, { token }), 'page 2');
    expect(matches(second)).toHaveLength(2);
    expect(matches(second).some((r) => matches(paged).some((p) => p.id === r.id))).toBe(false);
    const count = await searchset(await t.request('GET', `/fhir/Observation?${query(`identifier=${SERIES}|E&_summary=count`)}`, { token }), '_summary=count');
    expect(count.total).toBe(initial.length);
    expect(matches(count)).toHaveLength(0);
  });
});
