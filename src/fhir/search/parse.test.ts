import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appError } from '../../../test/support/errors.js';
import { SUPPORTED_TYPES } from '../resource-types.js';
import { searchParams } from './definitions.js';
import { encodeSearchCursor } from './paging.js';
import { normalizeString } from './values.js';
import { parseSearch, splitValues, type Filter, type ParsedSearch, type SearchLimits } from './parse.js';

const BASE = 'https://carnet.example/fhir';
const LIMITS: SearchLimits = { defaultCount: 20, maxCount: 200, strict: false, fhirBase: BASE };
const INS = 'urn:oid:1.2.250.1.213.1.4.8';

/** Parses a query given as a string (form-encoded: write + as %2B) or as [key, value] pairs. */
const search = (type: string, query: string | [string, string][], limits: Partial<SearchLimits> = {}) =>
  parseSearch(type, new URLSearchParams(query), { ...LIMITS, ...limits });

/** The one filter of a search. */
function only(s: ParsedSearch): Filter {
  expect(s.filters).toHaveLength(1);
  return s.filters[0]!;
}

/** Asserts the query is refused with a 400 'invalid' naming the key, and returns the diagnostics. */
function refused(type: string, query: string | [string, string][], key: string, limits: Partial<SearchLimits> = {}): string {
  const err = appError(() => search(type, query, limits));
  expect(err.status).toBe(400);
  expect(err.issues[0]).toMatchObject({ severity: 'error', code: 'invalid', expression: [key] });
  return err.issues[0]!.diagnostics;
}

const targetsOf = (type: string, code: string) => searchParams(type).get(code)!.targets;

describe('splitValues', () => {
  it.each<[string, string[]]>([
    ['a', ['a']],
    ['a,b,c', ['a', 'b', 'c']],
    ['a\\,b', ['a,b']],
    ['a\\,b,c', ['a,b', 'c']],
    ['a,,b,', ['a', 'b']],
    [',', []],
    ['', []],
    ['s|v,|w', ['s|v', '|w']],
    ['a\\|b', ['a\\|b']],
    ['a\\$b', ['a\\$b']],
    ['a\\\\,b', ['a\\\\', 'b']],
    ['a\\', ['a\\']],
  ])('splits %j into %j', (raw, expected) => {
    expect(splitValues(raw)).toEqual(expected);
  });

  it('gives back any list of values once their commas are escaped (property)', () => {
    const value = fc.string({ unit: fc.constantFrom('a', 'é', '|', ',', ' ', '-', '$'), minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 5 }), (values) => {
        expect(splitValues(values.map((v) => v.replaceAll(',', '\\,')).join(','))).toEqual(values);
      }),
    );
  });
});

describe('parseSearch: defaults and paging', () => {
  it('gives the defaults for an empty query', () => {
    expect(search('Patient', '')).toEqual({
      filters: [],
      sort: [{ param: '_id', kind: 'id', desc: false }],
      count: 20,
      include: [],
      revinclude: [],
      total: false,
      summaryCount: false,
      canonical: '',
      lockKey: '',
      ignored: [],
    });
  });

  it('reads _count, _since and _cursor', () => {
    const s = search('Patient', `_count=5&_since=2026-01-01T00:00:00Z&_cursor=${encodeSearchCursor(['anna'])}`);
    expect(s.count).toBe(5);
    expect(s.since).toBe('2026-01-01T00:00:00Z');
    expect(s.cursor).toEqual(['anna']);
  });

  it('reads a cursor with as many keys as the sort', () => {
    const cursor = encodeSearchCursor(['2024-03-05T09:00:00.000Z', 'current', 'cr-1']);
    expect(search('DocumentReference', `_sort=-date,status&_cursor=${cursor}`).cursor).toEqual(['2024-03-05T09:00:00.000Z', 'current', 'cr-1']);
    refused('DocumentReference', `_sort=-date&_cursor=${cursor}`, '_cursor');
  });

  it('clamps _count to the limits it is given', () => {
    expect(search('Patient', '_count=500', { maxCount: 50 }).count).toBe(50);
    expect(search('Patient', '_count=0').count).toBe(1);
    expect(search('Patient', '', { defaultCount: 7 }).count).toBe(7);
  });

  it.each([
    ['_count=-1', '_count'],
    ['_count=ten', '_count'],
    ['_count=', '_count'],
    ['_since=2026', '_since'],
    ['_since=2026-02-30T00:00:00Z', '_since'],
    ['_cursor=forged', '_cursor'],
  ])('refuses %s with a 400 naming %s', (query, key) => {
    refused('Patient', query, key);
  });

  it('keeps result parameters out of the filters, the canonical form and the warnings', () => {
    const s = search('Patient', '_count=5&_format=json&_pretty=true&_since=2026-01-01T00:00:00Z&_total=accurate&_summary=count', { strict: true });
    expect(s.filters).toEqual([]);
    expect(s.canonical).toBe('');
    expect(s.lockKey).toBe('');
    expect(s.ignored).toEqual([]);
  });
});

describe('parseSearch: _id and _lastUpdated', () => {
  it('reads a list of ids', () => {
    const s = search('Patient', '_id=a,b,c');
    expect(only(s)).toEqual({ kind: 'id', values: ['a', 'b', 'c'] });
    expect(s.canonical).toBe('_id=a,b,c');
  });

  it('keeps repeated _id parameters as separate (AND-ed) filters', () => {
    expect(search('Patient', '_id=a,b&_id=b,c').filters).toEqual([
      { kind: 'id', values: ['a', 'b'] },
      { kind: 'id', values: ['b', 'c'] },
    ]);
  });

  it.each(['_id=a_b', `_id=${'a'.repeat(65)}`, '_id=Patient/a'])('refuses the invalid id in %s', (query) => {
    refused('Patient', query, '_id');
  });

  it.each([
    ['Patient', '_id='],
    ['Patient', '_id=,'],
    ['Patient', 'identifier='],
    ['Patient', 'name=,,'],
    ['Patient', 'birthdate='],
    ['Observation', 'patient='],
    ['Observation', 'code:missing='],
  ])('refuses on %s the parameter with no value %s', (type, query) => {
    refused(type, query, query.split('=')[0]!);
  });

  it('refuses a modifier on _id', () => {
    refused('Patient', '_id:missing=true', '_id:missing');
    refused('Patient', '_id:not=a', '_id:not');
  });

  it('reads _lastUpdated as a date', () => {
    expect(only(search('Patient', '_lastUpdated=ge2026-01-01'))).toEqual({
      kind: 'date',
      param: '_lastUpdated',
      anyOf: [{ prefix: 'ge', lo: '2026-01-01T00:00:00.000Z', hi: '2026-01-02T00:00:00.000Z' }],
    });
  });
});

describe('parseSearch: tokens', () => {
  it('reads system|code, |code and code as one OR-list of stored forms', () => {
    expect(only(search('Patient', `identifier=${INS}|1234,|5678,90`))).toEqual({
      kind: 'token',
      param: 'identifier',
      anyOf: [`identifier=${INS}|1234`, 'identifier=|5678', 'identifier=90'],
      systems: [],
      not: false,
    });
  });

  it('reads system| as any code of that system', () => {
    expect(only(search('Observation', 'code=http://loinc.org|,8480-6'))).toEqual({
      kind: 'token',
      param: 'code',
      anyOf: ['code=8480-6'],
      systems: ['code=http://loinc.org|'],
      not: false,
    });
  });

  it('refuses a bare bar, with neither system nor code', () => {
    expect(refused('Patient', 'identifier=|', 'identifier')).toMatch(/neither a system nor a code/);
  });

  it('ANDs repeated parameters', () => {
    expect(search('Patient', 'identifier=a&identifier=b,c').filters).toEqual([
      { kind: 'token', param: 'identifier', anyOf: ['identifier=a'], systems: [], not: false },
      { kind: 'token', param: 'identifier', anyOf: ['identifier=b', 'identifier=c'], systems: [], not: false },
    ]);
  });

  it('reads :not', () => {
    expect(only(search('DocumentReference', 'status:not=entered-in-error'))).toEqual({
      kind: 'token',
      param: 'status',
      anyOf: ['status=entered-in-error'],
      systems: [],
      not: true,
    });
  });

  it('reads :missing=true and :missing=false', () => {
    expect(only(search('DocumentReference', 'isArchived:missing=true'))).toEqual({ kind: 'missing', param: 'isArchived', missing: true });
    expect(only(search('DocumentReference', 'isArchived:missing=false'))).toEqual({ kind: 'missing', param: 'isArchived', missing: false });
  });

  it.each(['maybe', 'TRUE', 'true,false', '1'])('refuses :missing=%s', (value) => {
    refused('DocumentReference', [['status:missing', value]], 'status:missing');
  });

  it.each(['text', 'in', 'below', 'above', 'of-type', 'exact', 'contains', 'identifier', 'Patient'])('refuses the modifier :%s on a token', (modifier) => {
    refused('Patient', [[`identifier:${modifier}`, 'x']], `identifier:${modifier}`);
  });

  it('reads the PDSm isArchived flag', () => {
    expect(only(search('DocumentReference', 'isArchived=true'))).toMatchObject({ kind: 'token', param: 'isArchived', anyOf: ['isArchived=true'] });
  });

  it('unescapes \\, \\| and \\\\ in values', () => {
    expect(only(search('Patient', [['identifier', 'a\\,b']]))).toMatchObject({ anyOf: ['identifier=a,b'] });
    expect(only(search('Patient', [['identifier', 'urn:x\\|y|v']]))).toMatchObject({ anyOf: ['identifier=urn:x|y|v'] });
    expect(only(search('Patient', [['identifier', 'a\\\\b']]))).toMatchObject({ anyOf: ['identifier=a\\b'] });
  });

  it('reads any system|code as exactly that stored form (property)', () => {
    const part = fc.stringMatching(/^[A-Za-z0-9:./-]{1,20}$/);
    fc.assert(
      fc.property(part, part, (system, code) => {
        expect(only(search('Observation', [['code', `${system}|${code}`]]))).toEqual({
          kind: 'token',
          param: 'code',
          anyOf: [`code=${system}|${code}`],
          systems: [],
          not: false,
        });
      }),
    );
  });
});

describe('parseSearch: uri', () => {
  it('reads a uri as a token without system', () => {
    expect(only(search('DocumentReference', 'location=Binary/pdf-1'))).toEqual({
      kind: 'token',
      param: 'location',
      anyOf: ['location=Binary/pdf-1'],
      systems: [],
      not: false,
    });
  });

  it('refuses :below and :above, reads :missing', () => {
    refused('DocumentReference', 'location:below=http://x', 'location:below');
    expect(only(search('DocumentReference', 'location:missing=true'))).toEqual({ kind: 'missing', param: 'location', missing: true });
  });
});

describe('parseSearch: strings', () => {
  it('matches by normalised prefix by default', () => {
    expect(only(search('Patient', 'name=Hélène,LEFÈ'))).toEqual({ kind: 'string', param: 'name', mode: 'prefix', anyOf: ['helene', 'lefe'] });
    expect(only(search('Patient', 'family=%C5%92uvre'))).toEqual({ kind: 'string', param: 'family', mode: 'prefix', anyOf: ['oeuvre'] });
  });

  it('matches :exact as written', () => {
    expect(only(search('Patient', 'family:exact=Lefèvre'))).toEqual({ kind: 'string', param: 'family', mode: 'exact', anyOf: ['Lefèvre'] });
    expect(only(search('Patient', [['family:exact', 'Le\\,Fèvre']]))).toMatchObject({ anyOf: ['Le,Fèvre'] });
  });

  it('matches :contains normalised', () => {
    expect(only(search('Patient', 'address:contains=ÉTIENNE'))).toEqual({ kind: 'string', param: 'address', mode: 'contains', anyOf: ['etienne'] });
  });

  it('drops values that normalise to nothing', () => {
    expect(only(search('Patient', [['name', '   ']]))).toEqual({ kind: 'string', param: 'name', mode: 'prefix', anyOf: [] });
  });

  it('reads :missing and refuses other modifiers', () => {
    expect(only(search('Patient', 'family:missing=false'))).toEqual({ kind: 'missing', param: 'family', missing: false });
    refused('Patient', 'family:text=x', 'family:text');
    refused('Patient', 'family:not=x', 'family:not');
  });

  it('normalises any prefix value as the indexer does (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', 'É', 'è', 'Œ', ' ', 'ß', 'Z', '-'), minLength: 1, maxLength: 10 }), (text) => {
        const norm = normalizeString(text);
        expect(only(search('Patient', [['given', text]]))).toEqual({ kind: 'string', param: 'given', mode: 'prefix', anyOf: norm === '' ? [] : [norm] });
      }),
    );
  });
});

describe('parseSearch: dates', () => {
  it.each(['eq', 'ne', 'lt', 'gt', 'le', 'ge', 'sa', 'eb'])('reads the prefix %s', (prefix) => {
    expect(only(search('Patient', `birthdate=${prefix}1980-05-07`))).toEqual({
      kind: 'date',
      param: 'birthdate',
      anyOf: [{ prefix, lo: '1980-05-07T00:00:00.000Z', hi: '1980-05-08T00:00:00.000Z' }],
    });
  });

  it('defaults to eq', () => {
    expect(only(search('Patient', 'birthdate=1980'))).toMatchObject({ anyOf: [{ prefix: 'eq', lo: '1980-01-01T00:00:00.000Z', hi: '1981-01-01T00:00:00.000Z' }] });
  });

  it('reads a dateTime with its time zone', () => {
    expect(only(search('DocumentReference', [['date', 'ge2024-03-05T10:00:00+01:00']]))).toMatchObject({
      anyOf: [{ prefix: 'ge', lo: '2024-03-05T09:00:00.000Z', hi: '2024-03-05T09:00:01.000Z' }],
    });
  });

  it('reads several values as an OR-list and repeated parameters as AND', () => {
    const s = search('DocumentReference', 'date=ge2024-01-01&date=lt2025&period=2024-03,2024-04');
    expect(s.filters.map((f) => (f.kind === 'date' ? [f.param, f.anyOf.map((t) => t.prefix)] : f.kind))).toEqual([
      ['date', ['ge']],
      ['date', ['lt']],
      ['period', ['eq', 'eq']],
    ]);
  });

  it('refuses the prefix ap', () => {
    expect(refused('Patient', 'birthdate=ap1980', 'birthdate')).toMatch(/ap is not supported/);
  });

  it.each(['2024-02-30', '2023-02-29', '2024-13', 'ge2024-13-01', '2024-03-05T24:00:00Z', '2024-03-05T10:00:00+15:00', 'gt', 'today', 'GE2024', '05/03/2024'])(
    'refuses the date %j with a 400 naming the parameter',
    (value) => {
      refused('DocumentReference', [['date', value]], 'date');
    },
  );

  it('reads :missing, refuses other modifiers', () => {
    expect(only(search('DocumentReference', 'period-start:missing=true'))).toEqual({ kind: 'missing', param: 'period-start', missing: true });
    refused('DocumentReference', 'date:exact=2024', 'date:exact');
  });
});

describe('parseSearch: references', () => {
  it('reads Type/id', () => {
    expect(only(search('DocumentReference', 'author=Practitioner/dr-martin'))).toEqual({
      kind: 'token',
      param: 'author',
      anyOf: ['author=Practitioner/dr-martin'],
      systems: [],
      not: false,
    });
  });

  it('expands a bare id to every target type', () => {
    const f = only(search('DocumentReference', 'subject=anna'));
    expect(f).toMatchObject({ kind: 'token', param: 'subject' });
    expect(f.kind === 'token' && f.anyOf).toEqual(targetsOf('DocumentReference', 'subject').map((t) => `subject=${t}/anna`));
    expect(f.kind === 'token' && f.anyOf).toContain('subject=Patient/anna');
    expect(f).not.toHaveProperty('patients');
  });

  it('expands a bare id to every supported type when the parameter names no target', () => {
    expect(targetsOf('List', 'authorOrg')).toEqual([]);
    const f = only(search('List', 'authorOrg=o1'));
    expect(f.kind === 'token' && f.anyOf).toEqual(SUPPORTED_TYPES.map((t) => `authorOrg=${t}/o1`));
  });

  it.each([
    ['a bare id', 'patient=anna'],
    ['a relative reference', 'patient=Patient/anna'],
    ['a versioned reference', 'patient=Patient/anna/_history/2'],
    ['an absolute reference to this server', `patient=${BASE}/Patient/anna`],
    ['a type modifier', 'patient:Patient=anna'],
    ['subject with a type modifier', 'subject:Patient=anna'],
    ['subject as Patient/id', 'subject=Patient/anna'],
  ])('reads %s of the owning element as a patient filter', (_, query) => {
    for (const type of ['Observation', 'DocumentReference']) {
      const f = only(search(type, query));
      expect(f).toEqual({ kind: 'token', param: query.split(/[:=]/)[0], anyOf: [`${query.split(/[:=]/)[0]}=Patient/anna`], systems: [], not: false, patients: ['anna'] });
    }
  });

  it('gives a patient filter only when every value is a patient', () => {
    expect(only(search('Observation', 'patient=anna,paul'))).toMatchObject({ patients: ['anna', 'paul'] });
    expect(only(search('Observation', 'subject=Patient/anna,Device/d1'))).not.toHaveProperty('patients');
    expect(only(search('Observation', 'subject=anna'))).not.toHaveProperty('patients');
  });

  it('gives no patient filter on an element that does not file the resource in a record', () => {
    expect(only(search('DocumentReference', 'author=Patient/anna'))).not.toHaveProperty('patients');
    expect(only(search('AuditEvent', 'patient=anna'))).toEqual({ kind: 'token', param: 'patient', anyOf: ['patient=Patient/anna'], systems: [], not: false });
  });

  it('keeps a reference to another server as written', () => {
    expect(only(search('DocumentReference', 'author=https://other.example/fhir/Practitioner/x'))).toMatchObject({
      anyOf: ['author=https://other.example/fhir/Practitioner/x'],
    });
    expect(only(search('DocumentReference', `author=${BASE}/Practitioner/x`, { fhirBase: undefined }))).toMatchObject({
      anyOf: [`author=${BASE}/Practitioner/x`],
    });
  });

  it.each([
    ['patient=Practitioner/x', 'patient'],
    ['patient:Practitioner=x', 'patient:Practitioner'],
    ['relatesto=Patient/x', 'relatesto'],
    ['subject=Organization/o', 'subject'],
  ])('refuses %s, a type the parameter does not refer to', (query, key) => {
    expect(refused('DocumentReference', query, key)).toMatch(/refers to/);
  });

  it.each(['subject:Group=g', 'subject:Nope=x', 'patient:not=x', 'patient:exact=x', 'patient:below=x'])('refuses the modifier in %s', (query) => {
    refused('DocumentReference', query, query.split('=')[0]!);
  });

  it('reads :identifier as a token on the logical reference', () => {
    expect(only(search('DocumentReference', `patient:identifier=${INS}|280057512345671`))).toEqual({
      kind: 'token',
      param: 'patient:identifier',
      anyOf: [`patient:identifier=${INS}|280057512345671`],
      systems: [],
      not: false,
    });
    expect(only(search('DocumentReference', `author:identifier=urn:oid:1.2.250.1.71.4.2.1|`))).toMatchObject({ systems: ['author:identifier=urn:oid:1.2.250.1.71.4.2.1|'] });
  });

  it('reads :missing', () => {
    expect(only(search('DocumentReference', 'relatesto:missing=true'))).toEqual({ kind: 'missing', param: 'relatesto', missing: true });
  });

  it('reads any id, bare or as a reference, to the same patient filter (property)', () => {
    const arbId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/);
    fc.assert(
      fc.property(arbId, fc.constantFrom('', 'Patient/', `${BASE}/Patient/`), fc.constantFrom('Observation', 'DocumentReference', 'Condition'), (id, prefix, type) => {
        expect(only(search(type, [['patient', `${prefix}${id}`]]))).toEqual({
          kind: 'token',
          param: 'patient',
          anyOf: [`patient=Patient/${id}`],
          systems: [],
          not: false,
          patients: [id],
        });
      }),
    );
  });
});

describe('parseSearch: chains', () => {
  it('reads patient.identifier on DocumentReference', () => {
    expect(only(search('DocumentReference', `patient.identifier=${INS}|280057512345671`))).toEqual({
      kind: 'chain',
      param: 'patient',
      targets: [{ type: 'Patient', filters: [{ kind: 'token', param: 'identifier', anyOf: [`identifier=${INS}|280057512345671`], systems: [], not: false }] }],
      owner: true,
    });
  });

  it('reads a type modifier before the chain', () => {
    expect(only(search('DocumentReference', 'subject:Patient.name=Hélène'))).toEqual({
      kind: 'chain',
      param: 'subject',
      targets: [{ type: 'Patient', filters: [{ kind: 'string', param: 'name', mode: 'prefix', anyOf: ['helene'] }] }],
      owner: true,
    });
  });

  it('chains to every target type that has the parameter', () => {
    const f = only(search('DocumentReference', 'subject.name=x'));
    expect(f.kind).toBe('chain');
    if (f.kind !== 'chain') return;
    expect(f.targets.map((t) => t.type).sort()).toEqual(['Patient', 'Practitioner']);
    expect(f.owner).toBe(false);
    const author = only(search('DocumentReference', 'author.name=x'));
    expect(author.kind === 'chain' && author.targets.map((t) => t.type)).toEqual(expect.arrayContaining(['Patient', 'Practitioner', 'Organization']));
    expect(author.kind === 'chain' && author.owner).toBe(false);
  });

  it('passes modifiers and prefixes to the chained parameter', () => {
    expect(only(search('Observation', 'patient.birthdate=lt1990'))).toMatchObject({
      targets: [{ type: 'Patient', filters: [{ kind: 'date', param: 'birthdate', anyOf: [{ prefix: 'lt', lo: '1990-01-01T00:00:00.000Z' }] }] }],
    });
    expect(only(search('Observation', 'patient.family:exact=Lefèvre'))).toMatchObject({
      targets: [{ type: 'Patient', filters: [{ kind: 'string', mode: 'exact', anyOf: ['Lefèvre'] }] }],
    });
    expect(only(search('Observation', 'patient.gender:missing=true'))).toMatchObject({
      targets: [{ type: 'Patient', filters: [{ kind: 'missing', param: 'gender', missing: true }] }],
    });
    expect(only(search('DocumentReference', 'relatesto.status:not=superseded'))).toMatchObject({
      owner: false,
      targets: [{ type: 'DocumentReference', filters: [{ kind: 'token', param: 'status', not: true }] }],
    });
  });

  it('refuses a chain on a parameter that is not a reference', () => {
    expect(refused('DocumentReference', 'type.name=x', 'type.name')).toMatch(/only reference parameters can be chained/);
    refused('Observation', 'code.system=x', 'code.system');
  });

  it('refuses a chain of two levels', () => {
    expect(refused('DocumentReference', 'patient.organization.name=x', 'patient.organization.name')).toMatch(/one level/);
  });

  it('refuses a chained parameter no target has', () => {
    refused('DocumentReference', 'patient.nope=x', 'patient.nope');
    refused('DocumentReference', 'relatesto.birthdate=2024', 'relatesto.birthdate');
  });

  it('refuses a type modifier that is not a supported type, and bad chained values', () => {
    refused('DocumentReference', 'subject:Nope.name=x', 'subject:Nope.name');
    refused('DocumentReference', 'patient.birthdate=2024-02-30', 'patient.birthdate');
    refused('DocumentReference', 'patient.name=', 'patient.name');
    refused('DocumentReference', 'patient.name:text=x', 'patient.name:text');
  });

  it('ignores a chain on an unknown parameter, with a warning', () => {
    const s = search('DocumentReference', 'nope.name=x');
    expect(s.filters).toEqual([]);
    expect(s.ignored.map((i) => i.expression)).toEqual([['nope.name']]);
  });
});

describe('parseSearch: _sort', () => {
  it('sorts by _id alone by default', () => {
    expect(search('Patient', '').sort).toEqual([{ param: '_id', kind: 'id', desc: false }]);
  });

  it('reads several keys, each with its kind and direction, and ends with _id', () => {
    expect(search('DocumentReference', '_sort=-date,status,_lastUpdated').sort).toEqual([
      { param: 'date', kind: 'date', desc: true },
      { param: 'status', kind: 'token', desc: false },
      { param: '_lastUpdated', kind: 'lastUpdated', desc: false },
      { param: '_id', kind: 'id', desc: false },
    ]);
    expect(search('Patient', '_sort=family,-birthdate').sort).toEqual([
      { param: 'family', kind: 'string', desc: false },
      { param: 'birthdate', kind: 'date', desc: true },
      { param: '_id', kind: 'id', desc: false },
    ]);
    expect(search('Observation', '_sort=subject').sort[0]).toEqual({ param: 'subject', kind: 'token', desc: false });
  });

  it('joins repeated _sort parameters and keeps the first of duplicate keys', () => {
    expect(search('DocumentReference', '_sort=date&_sort=-status,-date').sort.map((k) => [k.param, k.desc])).toEqual([
      ['date', false],
      ['status', true],
      ['_id', false],
    ]);
  });

  it('stops at _id, which orders totally', () => {
    expect(search('DocumentReference', '_sort=-_id,date').sort).toEqual([{ param: '_id', kind: 'id', desc: true }]);
    expect(search('DocumentReference', '_sort=date,_id,status').sort.map((k) => k.param)).toEqual(['date', '_id']);
  });

  it.each(['_sort=nope', '_sort=-date,nope', '_sort=name', '_sort=family:exact', '_sort=-', '_sort=_count'])('refuses %s with a 400 naming _sort', (query) => {
    expect(refused('DocumentReference', query, '_sort')).toMatch(/Cannot sort DocumentReference/);
  });

  it('always ends with exactly one _id key (property)', () => {
    const codes = ['date', 'status', 'type', 'period', 'subject', '_lastUpdated', '_id', 'description'];
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.constantFrom(...codes)), { maxLength: 6 }), (keys) => {
        const sort = search('DocumentReference', [['_sort', keys.map(([d, c]) => `${d ? '-' : ''}${c}`).join(',')]]).sort;
        expect(sort.filter((k) => k.kind === 'id')).toHaveLength(1);
        expect(sort.at(-1)!.kind).toBe('id');
        expect(new Set(sort.map((k) => k.param)).size).toBe(sort.length);
      }),
    );
  });
});

describe('parseSearch: _include and _revinclude', () => {
  it('reads Type:param and Type:param:target', () => {
    const s = search('DocumentReference', '_include=DocumentReference:subject&_include=DocumentReference:author:Practitioner');
    expect(s.include).toEqual([
      { sourceType: 'DocumentReference', param: 'subject' },
      { sourceType: 'DocumentReference', param: 'author', targetType: 'Practitioner' },
    ]);
    expect(s.revinclude).toEqual([]);
    expect(s.canonical).toBe('');
  });

  it('reads _revinclude from any type', () => {
    expect(search('Patient', '_revinclude=DocumentReference:patient&_revinclude=Observation:subject:Patient').revinclude).toEqual([
      { sourceType: 'DocumentReference', param: 'patient' },
      { sourceType: 'Observation', param: 'subject', targetType: 'Patient' },
    ]);
  });

  it.each([
    ['_include=Observation:subject', '_include', /must start with the searched type/],
    ['_include=DocumentReference:type', '_include', /not a reference parameter/],
    ['_include=DocumentReference:nope', '_include', /not a reference parameter/],
    ['_include=DocumentReference', '_include', /Type:parameter/],
    ['_include=:subject', '_include', /Type:parameter/],
    ['_include=DocumentReference:subject:Patient:x', '_include', /Type:parameter/],
    ['_include=Nope:subject', '_include', /not a resource type/],
    ['_include=DocumentReference:subject:Group', '_include', /not a resource type/],
    ['_include:recurse=DocumentReference:subject', '_include:recurse', /Unknown modifier/],
    ['_revinclude=Nope:subject', '_revinclude', /not a resource type/],
    ['_revinclude=Observation:code', '_revinclude', /not a reference parameter/],
  ])('refuses %s', (query, key, message) => {
    expect(refused('DocumentReference', query, key)).toMatch(message);
  });

  it('reads _include:iterate once, with a warning', () => {
    const s = search('DocumentReference', '_include:iterate=DocumentReference:relatesto');
    expect(s.include).toEqual([{ sourceType: 'DocumentReference', param: 'relatesto' }]);
    expect(s.ignored).toEqual([expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['_include:iterate'] })]);
  });

  it('ignores _include=* with a warning, and refuses it when strict', () => {
    const s = search('DocumentReference', '_include=*&_revinclude=*');
    expect(s.include).toEqual([]);
    expect(s.revinclude).toEqual([]);
    expect(s.ignored.map((i) => i.expression)).toEqual([['_include'], ['_revinclude']]);
    const err = appError(() => search('DocumentReference', '_include=*', { strict: true }));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ severity: 'error', code: 'not-supported', expression: ['_include'] });
  });
});

describe('parseSearch: _total and _summary', () => {
  it.each([
    ['none', false],
    ['estimate', true],
    ['accurate', true],
  ])('reads _total=%s', (value, total) => {
    expect(search('Patient', `_total=${value}`).total).toBe(total);
  });

  it('refuses another _total', () => {
    refused('Patient', '_total=yes', '_total');
  });

  it('reads _summary=count, and _summary=false as nothing', () => {
    expect(search('Patient', '_summary=count').summaryCount).toBe(true);
    const s = search('Patient', '_summary=false');
    expect(s.summaryCount).toBe(false);
    expect(s.ignored).toEqual([]);
  });

  it.each(['true', 'text', 'data'])('ignores _summary=%s with a warning, or refuses it when strict', (value) => {
    const s = search('Patient', `_summary=${value}`);
    expect(s.summaryCount).toBe(false);
    expect(s.ignored).toEqual([expect.objectContaining({ severity: 'warning', code: 'not-supported', expression: ['_summary'] })]);
    const err = appError(() => search('Patient', `_summary=${value}`, { strict: true }));
    expect(err.status).toBe(400);
    expect(err.issues[0]).toMatchObject({ code: 'not-supported', expression: ['_summary'] });
  });
});

describe('parseSearch: unknown parameters', () => {
  it('ignores an unknown parameter with a warning naming it', () => {
    const s = search('Patient', 'foo=anna&_id=a');
    expect(s.filters).toEqual([{ kind: 'id', values: ['a'] }]);
    expect(s.canonical).toBe('_id=a');
    expect(s.ignored).toEqual([
      {
        severity: 'warning',
        code: 'not-supported',
        diagnostics: "The search parameter 'foo' is not supported on Patient and was ignored",
        expression: ['foo'],
      },
    ]);
  });

  it.each(['phonetic=lefevre', '_text=x', '_content=x', '_has:Observation:patient:code=x', '_elements=name', '_query=x', 'foo:exact=x'])(
    'ignores %s, which Carnet does not search',
    (query) => {
      const s = search('Patient', query);
      expect(s.filters).toEqual([]);
      expect(s.ignored.map((i) => i.expression)).toEqual([[query.split('=')[0]]]);
    },
  );

  it('refuses an unknown parameter with a 400 when strict', () => {
    const err = appError(() => search('Patient', '_id=a&foo=anna', { strict: true }));
    expect(err.status).toBe(400);
    expect(err.issues).toEqual([
      { severity: 'error', code: 'not-supported', diagnostics: "The search parameter 'foo' is not supported on Patient", expression: ['foo'] },
    ]);
  });

  it('still reads known parameters when strict', () => {
    expect(search('Observation', '_id=a&identifier=x&patient=anna', { strict: true }).filters.map((f) => f.kind)).toEqual(['id', 'token', 'token']);
  });

  it('ignores every parameter of a type that has none', () => {
    const s = search('Claim', 'status=active');
    expect(s.filters).toEqual([]);
    expect(s.ignored).toHaveLength(1);
  });

  it('gives one warning per unknown parameter, in order (property)', () => {
    const known = new Set(searchParams('Patient').keys());
    const arbUnknown = fc.stringMatching(/^[a-z][a-z-]{0,15}$/).filter((k) => !known.has(k));
    fc.assert(
      fc.property(fc.array(arbUnknown, { maxLength: 5 }), (keys) => {
        const s = search('Patient', keys.map((k) => [k, 'x'] as [string, string]));
        expect(s.ignored.map((i) => i.expression![0])).toEqual(keys);
        expect(s.ignored.every((i) => i.severity === 'warning')).toBe(true);
        expect(s.filters).toEqual([]);
        expect(s.canonical).toBe('');
      }),
    );
  });
});

describe('parseSearch: canonical form and lock key', () => {
  it('sorts the filters, as written', () => {
    expect(search('Observation', 'patient=anna&identifier=sys|1&_id=b,a').canonical).toBe('_id=b,a&identifier=sys|1&patient=anna');
    expect(search('Observation', 'code:not=x&code=y').canonical).toBe('code:not=x&code=y'.split('&').sort().join('&'));
  });

  it('locks identically on every spelling of an identifier', () => {
    const key = (q: string) => search('Patient', [['identifier', q]]).lockKey;
    expect(key(`${INS}|280057512345671`)).toBe('identifier:280057512345671');
    expect(key('280057512345671')).toBe('identifier:280057512345671');
    expect(key('|280057512345671')).toBe('identifier:280057512345671');
  });

  it('locks identically on every spelling of a reference', () => {
    const keys = ['anna', 'Patient/anna', `${BASE}/Patient/anna`].map((v) => search('Observation', [['patient', v]]).lockKey);
    expect(new Set(keys)).toEqual(new Set(['patient:anna']));
  });

  // Bug: parse.ts builds the lock key from the raw value (text after the last '|', then after the last '/'),
  // not from the parsed filter. patient=Patient/anna/_history/3 parses to the same filter as patient=anna
  // (anyOf ['patient=Patient/anna']) but locks on 'patient:3' instead of 'patient:anna'.
  it('locks a versioned reference like the unversioned one', () => {
    const filter = (v: string) => search('Observation', [['patient', v]]);
    expect(filter('Patient/anna/_history/3').filters).toEqual(filter('anna').filters);
    expect(filter('Patient/anna/_history/3').lockKey).toBe('patient:anna');
  });

  it('locks on every value, sorted', () => {
    expect(search('Patient', 'identifier=s|b,a&_id=x').lockKey).toBe('_id:x&identifier:a&identifier:b');
  });

  it('locks identically on identifier=s|v, identifier=v and identifier=|v (property)', () => {
    const arbSystem = fc.constantFrom(INS, 'urn:oid:1.2.250.1.71.4.2.1', 'https://example.org/ids', 'http://loinc.org');
    const arbValue = fc.stringMatching(/^[A-Za-z0-9\-.]{1,30}$/);
    fc.assert(
      fc.property(arbSystem, arbValue, fc.constantFrom('Patient', 'Practitioner', 'Observation'), (system, value, type) => {
        const key = (v: string) => search(type, [['identifier', v]]).lockKey;
        expect(key(`${system}|${value}`)).toBe(key(value));
        expect(key(`|${value}`)).toBe(key(value));
      }),
    );
  });

  const arbId = fc.stringMatching(/^[A-Za-z0-9\-.]{1,20}$/);
  const arbPair: fc.Arbitrary<[string, string]> = fc.oneof(
    fc.tuple(fc.constant('_id'), fc.array(arbId, { minLength: 1, maxLength: 3 }).map((v) => v.join(','))),
    fc.tuple(fc.constant('identifier'), fc.tuple(fc.constantFrom('', 'urn:oid:1.2.3|', '|'), arbId).map(([s, v]) => `${s}${v}`)),
    fc.tuple(fc.constantFrom('patient', 'subject'), fc.tuple(fc.constantFrom('', 'Patient/', `${BASE}/Patient/`), arbId).map(([p, v]) => `${p}${v}`)),
    fc.tuple(fc.constantFrom('date', '_lastUpdated'), fc.tuple(fc.constantFrom('', 'ge', 'lt', 'ne'), fc.constantFrom('2024', '2024-03', '2024-03-05')).map(([p, d]) => p + d)),
    fc.tuple(fc.constantFrom('code', 'code:not', 'status'), arbId),
    fc.tuple(fc.constantFrom('value-string', 'value-string:exact'), arbId),
    fc.tuple(fc.constant('patient.identifier'), arbId),
    fc.tuple(fc.constantFrom('nope', 'phonetic'), arbId),
    fc.tuple(fc.constantFrom('_count'), fc.nat(300).map(String)),
    fc.tuple(fc.constantFrom('_format', '_pretty', '_total'), fc.constantFrom('json', 'true', 'none')).filter(([k, v]) => k !== '_total' || v === 'none'),
  );
  const arbPairsAndShuffle = fc
    .array(arbPair, { maxLength: 8 })
    .chain((pairs) => fc.tuple(fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length })));

  it('does not depend on the order of the parameters (property)', () => {
    fc.assert(
      fc.property(arbPairsAndShuffle, ([pairs, shuffled]) => {
        const a = search('Observation', pairs);
        const b = search('Observation', shuffled);
        expect(b.canonical).toBe(a.canonical);
        expect(b.lockKey).toBe(a.lockKey);
        expect(new Set(b.filters.map((f) => JSON.stringify(f)))).toEqual(new Set(a.filters.map((f) => JSON.stringify(f))));
      }),
    );
  });

  it('names exactly the filter parameters, sorted (property)', () => {
    fc.assert(
      fc.property(fc.array(arbPair, { maxLength: 8 }), (pairs) => {
        const s = search('Observation', pairs);
        const parts = s.canonical === '' ? [] : s.canonical.split('&');
        expect(parts).toEqual([...parts].sort());
        const filters = pairs.filter(([k]) => !k.startsWith('_') || k === '_id' || k === '_lastUpdated').filter(([k]) => !['nope', 'phonetic'].includes(k));
        expect(parts).toEqual(filters.map(([k, v]) => `${k}=${v}`).sort());
        expect(s.filters).toHaveLength(filters.length);
        expect(s.ignored).toHaveLength(pairs.filter(([k]) => ['nope', 'phonetic'].includes(k)).length);
      }),
    );
  });
});
