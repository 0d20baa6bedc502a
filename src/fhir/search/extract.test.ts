import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { warmUpValidator } from '../validate.js';
import { emptyIndex, extractIndex, referencesOf, type SearchIndex } from './extract.js';
import { parseSearch, type Filter } from './parse.js';
import { dateRange, normalizeString } from './values.js';

type Json = Record<string, unknown>;

// extractIndex evaluates the FHIRPath of each parameter on a typed resource: medplum only knows the element
// types (Identifier, HumanName, ContactPoint, Address, Period...) once the R4 StructureDefinitions are indexed,
// which validate.ts does (the server warms it up before any write or re-index).
beforeAll(() => warmUpValidator());

const BASE = 'https://carnet.example/fhir';
const INS = 'urn:oid:1.2.250.1.213.1.4.8';
const LOINC = 'http://loinc.org';
const RPPS = 'urn:oid:1.2.250.1.71.4.2.1';
const CLASS = 'urn:oid:1.2.250.1.213.1.1.4.1';
const SETTING = 'urn:oid:1.2.250.1.213.1.1.4.10';
const FACILITY = 'urn:oid:1.2.250.1.213.1.1.4.9';
const FORMAT = 'http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode';
const CONFIDENTIALITY = 'http://terminology.hl7.org/CodeSystem/v3-Confidentiality';
const IS_ARCHIVED = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

const helene = (more: Json = {}): Json => ({
  resourceType: 'Patient',
  id: 'helene',
  identifier: [
    { use: 'official', system: INS, value: '280057512345671' },
    { value: 'dossier-42' },
  ],
  name: [
    { use: 'official', family: 'Lefèvre', given: ['Hélène', 'Marie'], prefix: ['Mme'] },
    { use: 'maiden', family: 'DUPRÉ', given: ['Hélène'] },
  ],
  gender: 'female',
  birthDate: '1980-05-07',
  telecom: [
    { system: 'phone', value: '+33 6 12 34 56 78', use: 'mobile' },
    { system: 'email', value: 'helene.lefevre@example.fr' },
  ],
  address: [{ line: ["12 rue de l'Église", 'Bâtiment B'], city: 'Saint-Étienne', postalCode: '42000', country: 'FR' }],
  ...more,
});

const compteRendu = (more: Json = {}): Json => ({
  resourceType: 'DocumentReference',
  id: 'cr-1',
  extension: [{ url: IS_ARCHIVED, valueBoolean: true }],
  masterIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3.4.5' },
  status: 'current',
  type: { coding: [{ system: LOINC, code: '11488-4', display: 'Compte rendu de consultation' }] },
  category: [{ coding: [{ system: CLASS, code: 'REPORTS' }] }],
  subject: { reference: 'Patient/helene' },
  date: '2024-03-05T10:00:00+01:00',
  author: [{ reference: 'Practitioner/dr-martin' }, { type: 'Practitioner', identifier: { system: RPPS, value: '10003456789' } }],
  relatesTo: [{ code: 'replaces', target: { reference: 'DocumentReference/cr-0' } }],
  securityLabel: [{ coding: [{ system: CONFIDENTIALITY, code: 'N' }] }],
  content: [
    {
      attachment: { contentType: 'application/pdf', url: 'Binary/pdf-1', creation: '2024-03-04T18:30:00+01:00' },
      format: { system: FORMAT, code: 'urn:ihe:iti:xds:2017:mimeTypeSufficient' },
    },
  ],
  context: {
    period: { start: '2024-03-01', end: '2024-03-02' },
    practiceSetting: { coding: [{ system: SETTING, code: 'GENR' }] },
    facilityType: { coding: [{ system: FACILITY, code: 'SA01' }] },
  },
  ...more,
});

const tension = (more: Json = {}): Json => ({
  resourceType: 'Observation',
  id: 'pas-1',
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
  code: { coding: [{ system: LOINC, code: '8480-6', display: 'Pression artérielle systolique' }], text: 'PAS' },
  subject: { reference: 'Patient/helene' },
  effectiveDateTime: '2024-03-05T08:15:00Z',
  valueQuantity: { value: 128, unit: 'mm[Hg]' },
  ...more,
});

/** The date ranges of one parameter, as [lo, hi] pairs. */
const rangesOf = (index: SearchIndex, param: string) =>
  index.dateParams.flatMap((p, i) => (p === param ? [[index.dateLo[i], index.dateHi[i]]] : []));

/** The names of the parameters an entry ("p=x", "p:exact=x", "p:identifier=x", "p") is about. */
const paramOf = (entry: string) => entry.split('=')[0]!.split(':')[0]!;

/** Checks the invariants every index keeps. */
function expectWellFormed(index: SearchIndex): void {
  expect(index.dateLo).toHaveLength(index.dateParams.length);
  expect(index.dateHi).toHaveLength(index.dateParams.length);
  for (let i = 0; i < index.dateParams.length; i++) {
    const lo = index.dateLo[i]!;
    const hi = index.dateHi[i]!;
    expect(lo === '-infinity' || hi === 'infinity' || lo < hi, `${index.dateParams[i]} [${lo}, ${hi})`).toBe(true);
  }
  // presence markers: the bare name of every parameter that has a value, and of no other
  const named = new Set([...index.tokens, ...index.strings].filter((t) => t.includes('=')).map(paramOf).concat(index.dateParams));
  const bare = new Set(index.tokens.filter((t) => !t.includes('=')));
  expect([...named].filter((p) => !bare.has(p))).toEqual([]);
  // every string is indexed normalised and as written
  for (const s of index.strings) {
    const [head, ...rest] = s.split('=');
    const text = rest.join('=');
    if (head!.endsWith(':exact')) expect(index.strings).toContain(`${head!.slice(0, -':exact'.length)}=${normalizeString(text)}`);
    else expect(normalizeString(text)).toBe(text);
  }
  // every token with a system (or an explicit empty one) is also searchable by its code alone
  for (const t of index.tokens) {
    const m = /^([^=]+)=([^|]*)\|(.*)$/.exec(t);
    if (m) expect(index.tokens, t).toContain(`${m[1]}=${m[3]}`);
  }
  expect(new Set(index.tokens).size).toBe(index.tokens.length);
  expect(new Set(index.strings).size).toBe(index.strings.length);
}

describe('extractIndex: Patient', () => {
  const index = () => extractIndex(helene(), BASE);

  it('indexes the INS under its system and as a bare code, never as code-without-system', () => {
    const { tokens } = index();
    expect(tokens).toContain(`identifier=${INS}|280057512345671`);
    expect(tokens).toContain('identifier=280057512345671');
    expect(tokens).not.toContain('identifier=|280057512345671');
  });

  it('indexes an identifier without system as code and as |code', () => {
    const { tokens } = index();
    expect(tokens).toContain('identifier=dossier-42');
    expect(tokens).toContain('identifier=|dossier-42');
  });

  it('indexes gender as a code without system', () => {
    const { tokens } = index();
    expect(tokens).toEqual(expect.arrayContaining(['gender=female', 'gender=|female', 'gender']));
  });

  it('indexes telecom, phone and email by value', () => {
    const { tokens } = index();
    expect(tokens).toEqual(
      expect.arrayContaining([
        'telecom=+33 6 12 34 56 78',
        'telecom=|+33 6 12 34 56 78',
        'telecom=helene.lefevre@example.fr',
        'phone=+33 6 12 34 56 78',
        'email=helene.lefevre@example.fr',
        'telecom',
        'phone',
        'email',
      ]),
    );
    expect(tokens).not.toContain('phone=helene.lefevre@example.fr');
    expect(tokens).not.toContain('email=+33 6 12 34 56 78');
  });

  it('indexes names accent- and case-insensitively, and as written', () => {
    const { strings, tokens } = index();
    expect(strings).toEqual(
      expect.arrayContaining([
        'family=lefevre',
        'family:exact=Lefèvre',
        'family=dupre',
        'family:exact=DUPRÉ',
        'given=helene',
        'given:exact=Hélène',
        'given=marie',
        'name=helene',
        'name:exact=Hélène',
        'name=lefevre',
        'name=mme',
        'name=dupre',
      ]),
    );
    // the whole name, given names then family, for "name=helene lef"
    expect(strings).toContain('name=helene marie lefevre');
    expect(strings).toContain('name:exact=Hélène Marie Lefèvre');
    expect(strings).toContain('name=helene dupre');
    expect(tokens).toEqual(expect.arrayContaining(['name', 'family', 'given']));
  });

  it('indexes every part of the address, and the address-* parameters', () => {
    const { strings } = index();
    expect(strings).toEqual(
      expect.arrayContaining([
        "address=12 rue de l'eglise",
        "address:exact=12 rue de l'Église",
        'address=batiment b',
        'address=saint-etienne',
        'address:exact=Saint-Étienne',
        'address=42000',
        'address=fr',
        'address-city=saint-etienne',
        'address-city:exact=Saint-Étienne',
        'address-postalcode=42000',
        'address-country=fr',
      ]),
    );
  });

  it('indexes the birth date as the range of its day', () => {
    const idx = index();
    expect(rangesOf(idx, 'birthdate')).toEqual([['1980-05-07T00:00:00.000Z', '1980-05-08T00:00:00.000Z']]);
    expect(idx.tokens).toContain('birthdate');
  });

  it('has no presence marker for what the patient does not have', () => {
    const { tokens, strings } = index();
    for (const absent of ['active', 'death-date', 'general-practitioner', 'organization', 'link', 'language', 'address-state']) {
      expect([...tokens, ...strings].filter((t) => paramOf(t) === absent), absent).toEqual([]);
    }
  });

  it('keeps the index invariants', () => {
    expectWellFormed(index());
  });

  it('indexes a birth date given at year precision as the whole year', () => {
    expect(rangesOf(extractIndex(helene({ birthDate: '1980' })), 'birthdate')).toEqual([['1980-01-01T00:00:00.000Z', '1981-01-01T00:00:00.000Z']]);
  });

  it('skips a blank name part, and gives no whole name for a single part', () => {
    const { strings } = extractIndex(helene({ name: [{ family: 'Lefèvre', given: ['  '] }] }));
    expect(strings.filter((s) => s.startsWith('name'))).toEqual(['name=lefevre', 'name:exact=Lefèvre']);
  });

  it('indexes a name given as text only', () => {
    const { strings } = extractIndex(helene({ name: [{ text: 'Hélène LEFÈVRE' }] }));
    expect(strings).toEqual(expect.arrayContaining(['name=helene lefevre', 'name:exact=Hélène LEFÈVRE']));
  });

  it('indexes a deceased date', () => {
    const idx = extractIndex(helene({ deceasedDateTime: '2024-03-05T10:00:00+01:00' }));
    expect(rangesOf(idx, 'death-date')).toEqual([['2024-03-05T09:00:00.000Z', '2024-03-05T09:00:01.000Z']]);
    expect(idx.tokens).toContain('deceased=true');
  });
});

describe('extractIndex: DocumentReference', () => {
  const index = () => extractIndex(compteRendu(), BASE);

  it.each([
    ['type', LOINC, '11488-4'],
    ['category', CLASS, 'REPORTS'],
    ['setting', SETTING, 'GENR'],
    ['facility', FACILITY, 'SA01'],
    ['format', FORMAT, 'urn:ihe:iti:xds:2017:mimeTypeSufficient'],
    ['security-label', CONFIDENTIALITY, 'N'],
  ])('indexes the coded %s as system|code and as code', (param, system, code) => {
    const { tokens } = index();
    expect(tokens).toEqual(expect.arrayContaining([`${param}=${system}|${code}`, `${param}=${code}`, param]));
    expect(tokens).not.toContain(`${param}=|${code}`);
  });

  it('indexes status and contenttype as codes without system', () => {
    const { tokens } = index();
    expect(tokens).toEqual(expect.arrayContaining(['status=current', 'status=|current', 'contenttype=application/pdf', 'contenttype=|application/pdf']));
  });

  it('indexes the masterIdentifier as an identifier', () => {
    expect(index().tokens).toEqual(expect.arrayContaining(['identifier=urn:ietf:rfc:3986|urn:oid:1.2.3.4.5', 'identifier=urn:oid:1.2.3.4.5']));
  });

  it('indexes references as Type/id, and logical references by identifier', () => {
    const { tokens } = index();
    expect(tokens).toEqual(
      expect.arrayContaining([
        'subject=Patient/helene',
        'patient=Patient/helene',
        'author=Practitioner/dr-martin',
        `author:identifier=${RPPS}|10003456789`,
        'author:identifier=10003456789',
        'relatesto=DocumentReference/cr-0',
        'subject',
        'patient',
        'author',
        'relatesto',
      ]),
    );
  });

  it('indexes the attachment url as a uri', () => {
    expect(index().tokens).toContain('location=Binary/pdf-1');
  });

  it('indexes the PDSm isArchived extension as a boolean token', () => {
    const { tokens } = index();
    expect(tokens).toEqual(expect.arrayContaining(['isArchived=true', 'isArchived=|true', 'isArchived']));
    const live = extractIndex(compteRendu({ extension: [{ url: IS_ARCHIVED, valueBoolean: false }] }));
    expect(live.tokens).toContain('isArchived=false');
    expect(live.tokens).not.toContain('isArchived=true');
    const plain = extractIndex(compteRendu({ extension: undefined }));
    expect(plain.tokens.filter((t) => paramOf(t) === 'isArchived')).toEqual([]);
  });

  it('ignores other extensions for isArchived', () => {
    const other = extractIndex(compteRendu({ extension: [{ url: 'https://example.org/other', valueBoolean: true }] }));
    expect(other.tokens.filter((t) => paramOf(t) === 'isArchived')).toEqual([]);
  });

  it('indexes dates as [lo, hi) ranges in parallel arrays', () => {
    const idx = index();
    expect(rangesOf(idx, 'date')).toEqual([['2024-03-05T09:00:00.000Z', '2024-03-05T09:00:01.000Z']]);
    expect(rangesOf(idx, 'period')).toEqual([['2024-03-01T00:00:00.000Z', '2024-03-03T00:00:00.000Z']]);
    expect(rangesOf(idx, 'period-start')).toEqual([['2024-03-01T00:00:00.000Z', '2024-03-02T00:00:00.000Z']]);
    expect(rangesOf(idx, 'period-end')).toEqual([['2024-03-02T00:00:00.000Z', '2024-03-03T00:00:00.000Z']]);
    expect(rangesOf(idx, 'creation')).toEqual([['2024-03-04T17:30:00.000Z', '2024-03-04T17:30:01.000Z']]);
    expect(idx.tokens).toEqual(expect.arrayContaining(['date', 'period', 'period-start', 'period-end', 'creation']));
  });

  it('gives an open period open ends', () => {
    const started = extractIndex(compteRendu({ context: { period: { start: '2024-03-01' } } }));
    expect(rangesOf(started, 'period')).toEqual([['2024-03-01T00:00:00.000Z', 'infinity']]);
    expect(rangesOf(started, 'period-end')).toEqual([]);
    const ended = extractIndex(compteRendu({ context: { period: { end: '2024-03-02' } } }));
    expect(rangesOf(ended, 'period')).toEqual([['-infinity', '2024-03-03T00:00:00.000Z']]);
  });

  it('keeps the index invariants', () => {
    expectWellFormed(index());
  });

  it('strips this server base and the version from references', () => {
    const idx = extractIndex(
      compteRendu({
        author: [{ reference: `${BASE}/Practitioner/dr-martin/_history/3` }],
        relatesTo: [{ code: 'appends', target: { reference: 'DocumentReference/cr-0/_history/1' } }],
      }),
      BASE,
    );
    expect(idx.tokens).toEqual(expect.arrayContaining(['author=Practitioner/dr-martin', 'relatesto=DocumentReference/cr-0']));
  });

  it('keeps references to other servers whole, and leaves out contained and urn: references', () => {
    const idx = extractIndex(
      compteRendu({
        author: [{ reference: 'https://other.example/fhir/Practitioner/x' }, { reference: '#author-1' }, { reference: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' }],
      }),
      BASE,
    );
    expect(idx.tokens.filter((t) => paramOf(t) === 'author')).toEqual(['author=https://other.example/fhir/Practitioner/x', 'author']);
    const none = extractIndex(compteRendu({ author: [{ reference: '#author-1' }] }), BASE);
    expect(none.tokens.filter((t) => paramOf(t) === 'author')).toEqual([]);
  });

  it('indexes the subject of an absolute reference to this server as subject=Patient/id', () => {
    const idx = extractIndex(compteRendu({ subject: { reference: `${BASE}/Patient/helene` } }), BASE);
    expect(idx.tokens).toContain('subject=Patient/helene');
  });

  // Bug: "patient" is DocumentReference.subject.where(resolve() is Patient). medplum's resolve() splits the
  // reference string on "/" and takes the first segment as the type, so "https://carnet.example/fhir/Patient/x"
  // resolves to type "https:" and the where() drops it: subject=Patient/helene is indexed but patient=Patient/helene
  // is not, and DocumentReference?patient=helene misses a document the compartment files under helene.
  it('indexes the patient of an absolute reference to this server as patient=Patient/id', () => {
    const idx = extractIndex(compteRendu({ subject: { reference: `${BASE}/Patient/helene` } }), BASE);
    expect(idx.tokens).toContain('patient=Patient/helene');
  });

  it('does not index a Practitioner subject under patient', () => {
    const idx = extractIndex(compteRendu({ subject: { reference: 'Practitioner/dr-martin' } }), BASE);
    expect(idx.tokens).toContain('subject=Practitioner/dr-martin');
    expect(idx.tokens.filter((t) => paramOf(t) === 'patient')).toEqual([]);
  });

  it('indexes a patient named by identifier only under patient:identifier', () => {
    const idx = extractIndex(compteRendu({ subject: { type: 'Patient', identifier: { system: INS, value: '280057512345671' } } }), BASE);
    expect(idx.tokens).toEqual(
      expect.arrayContaining([`patient:identifier=${INS}|280057512345671`, 'patient:identifier=280057512345671', `subject:identifier=${INS}|280057512345671`]),
    );
    expect(idx.tokens.filter((t) => t.startsWith('patient='))).toEqual([]);
  });
});

describe('extractIndex: Observation', () => {
  it('indexes code, category, status and subject', () => {
    const { tokens } = extractIndex(tension(), BASE);
    expect(tokens).toEqual(
      expect.arrayContaining([
        `code=${LOINC}|8480-6`,
        'code=8480-6',
        `combo-code=${LOINC}|8480-6`,
        'category=vital-signs',
        'status=final',
        'subject=Patient/helene',
        'patient=Patient/helene',
      ]),
    );
  });

  it('indexes effectiveDateTime at its precision', () => {
    expect(rangesOf(extractIndex(tension()), 'date')).toEqual([['2024-03-05T08:15:00.000Z', '2024-03-05T08:15:01.000Z']]);
    expect(rangesOf(extractIndex(tension({ effectiveDateTime: '2024-03-05' })), 'date')).toEqual([['2024-03-05T00:00:00.000Z', '2024-03-06T00:00:00.000Z']]);
    expect(rangesOf(extractIndex(tension({ effectiveDateTime: '2024-03' })), 'date')).toEqual([['2024-03-01T00:00:00.000Z', '2024-04-01T00:00:00.000Z']]);
  });

  it('indexes effectivePeriod from the start of its start to the end of its end', () => {
    const idx = extractIndex(tension({ effectiveDateTime: undefined, effectivePeriod: { start: '2024-03-05T08:00:00Z', end: '2024-03-05T09:00:00Z' } }));
    expect(rangesOf(idx, 'date')).toEqual([['2024-03-05T08:00:00.000Z', '2024-03-05T09:00:01.000Z']]);
  });

  it('indexes effectiveInstant', () => {
    const idx = extractIndex(tension({ effectiveDateTime: undefined, effectiveInstant: '2024-03-05T08:00:00.250+01:00' }));
    expect(rangesOf(idx, 'date')).toEqual([['2024-03-05T07:00:00.250Z', '2024-03-05T07:00:00.251Z']]);
  });

  it('leaves out a date that is not a real date', () => {
    const idx = extractIndex(tension({ effectiveDateTime: '2024-02-30' }));
    expect(rangesOf(idx, 'date')).toEqual([]);
    expect(idx.tokens).not.toContain('date');
  });

  it('indexes a coded value and a string value', () => {
    const coded = extractIndex(tension({ valueQuantity: undefined, valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '260385009' }], text: 'Négatif' } }));
    expect(coded.tokens).toEqual(expect.arrayContaining(['value-concept=http://snomed.info/sct|260385009', 'value-concept=260385009']));
    expect(coded.strings).toEqual(expect.arrayContaining(['value-string=negatif', 'value-string:exact=Négatif']));
    const text = extractIndex(tension({ valueQuantity: undefined, valueString: 'Très élevée' }));
    expect(text.strings).toEqual(expect.arrayContaining(['value-string=tres elevee', 'value-string:exact=Très élevée']));
  });

  it('keeps the index invariants', () => {
    expectWellFormed(extractIndex(tension(), BASE));
  });
});

describe('extractIndex: any resource', () => {
  it('gives an empty index for a type without parameters', () => {
    expect(extractIndex({ resourceType: 'Claim', id: 'c1', status: 'active' })).toEqual(emptyIndex());
    expect(emptyIndex()).toEqual({ tokens: [], strings: [], dateParams: [], dateLo: [], dateHi: [] });
  });

  it('gives only the presence markers a bare resource has', () => {
    const idx = extractIndex({ resourceType: 'Patient', id: 'bare' });
    expect(idx.strings).toEqual([]);
    expect(idx.dateParams).toEqual([]);
    // R4's "deceased" is "deceased.exists() and deceased != false": false for a patient with no deceased[x]
    expect(idx.tokens).toEqual(['deceased=false', 'deceased=|false', 'deceased']);
  });

  const arbText = fc.string({ unit: fc.constantFrom(...'aeiouléèàçœÉÈÀ LMNPRST-\''.split('')), minLength: 1, maxLength: 12 });
  const arbDateValue = fc
    .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T23:59:59Z'), noInvalidDate: true })
    .chain((d) => fc.constantFrom(d.toISOString().slice(0, 4), d.toISOString().slice(0, 7), d.toISOString().slice(0, 10), d.toISOString()));
  const arbPatient = fc.record({
    family: arbText,
    given: fc.array(arbText, { maxLength: 3 }),
    birthDate: arbDateValue.map((d) => d.slice(0, 10)),
    system: fc.option(fc.constantFrom(INS, 'urn:oid:1.2.3', 'https://example.org/ids'), { nil: undefined }),
    value: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
    city: arbText,
  });

  it('keeps its invariants and finds what it was given, for any patient (property)', () => {
    fc.assert(
      fc.property(arbPatient, (p) => {
        const idx = extractIndex({
          resourceType: 'Patient',
          identifier: [{ ...(p.system ? { system: p.system } : {}), value: p.value }],
          name: [{ family: p.family, given: p.given }],
          birthDate: p.birthDate,
          address: [{ city: p.city }],
        });
        expectWellFormed(idx);
        expect(idx.tokens).toContain(p.system ? `identifier=${p.system}|${p.value}` : `identifier=|${p.value}`);
        expect(idx.tokens).toContain(`identifier=${p.value}`);
        if (normalizeString(p.family) !== '') {
          expect(idx.strings).toContain(`family=${normalizeString(p.family)}`);
          expect(idx.strings).toContain(`family:exact=${p.family}`);
        }
        if (normalizeString(p.city) !== '') expect(idx.strings).toContain(`address-city=${normalizeString(p.city)}`);
        expect(rangesOf(idx, 'birthdate')).toEqual([[dateRange(p.birthDate)!.lo, dateRange(p.birthDate)!.hi]]);
      }),
      { numRuns: 50 },
    );
  });

  it('indexes any effective dateTime as its dateRange, and a period as the hull of its ends (property)', () => {
    fc.assert(
      fc.property(arbDateValue, arbDateValue, (a, b) => {
        const single = extractIndex(tension({ effectiveDateTime: a }));
        expect(rangesOf(single, 'date')).toEqual([[dateRange(a)!.lo, dateRange(a)!.hi]]);
        const period = extractIndex(tension({ effectiveDateTime: undefined, effectivePeriod: { start: a, end: b } }));
        expect(rangesOf(period, 'date')).toEqual([[dateRange(a)!.lo, dateRange(b)!.hi]]);
        expectWellFormed(single);
      }),
      { numRuns: 50 },
    );
  });
});

describe('referencesOf', () => {
  const doc = (more: Json) => JSON.stringify(compteRendu(more));

  it('gives the local references of a reference parameter', () => {
    expect(referencesOf(doc({}), 'subject', BASE)).toEqual(['Patient/helene']);
    expect(referencesOf(doc({}), 'patient', BASE)).toEqual(['Patient/helene']);
    expect(referencesOf(doc({}), 'author', BASE)).toEqual(['Practitioner/dr-martin']);
    expect(referencesOf(doc({}), 'relatesto', BASE)).toEqual(['DocumentReference/cr-0']);
  });

  it('strips this server base and versions, and drops duplicates', () => {
    const content = doc({
      author: [{ reference: `${BASE}/Practitioner/a/_history/2` }, { reference: 'Practitioner/a' }, { reference: 'Organization/o' }],
    });
    expect(referencesOf(content, 'author', BASE)).toEqual(['Practitioner/a', 'Organization/o']);
  });

  it('leaves out contained, urn:, foreign and identifier-only references', () => {
    const content = doc({
      author: [
        { reference: '#a' },
        { reference: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
        { reference: 'https://other.example/fhir/Practitioner/x' },
        { type: 'Practitioner', identifier: { system: RPPS, value: '10003456789' } },
        { reference: 'Practitioner/bad_id' },
      ],
    });
    expect(referencesOf(content, 'author', BASE)).toEqual([]);
  });

  it('gives nothing for a parameter that is not a reference, or not defined', () => {
    expect(referencesOf(doc({}), 'type', BASE)).toEqual([]);
    expect(referencesOf(doc({}), 'nope', BASE)).toEqual([]);
    expect(referencesOf(JSON.stringify({ resourceType: 'Claim', patient: { reference: 'Patient/x' } }), 'patient', BASE)).toEqual([]);
  });
});

/**
 * What the SQL of search-sql.ts asks of the search columns, for the filters that need no join: enough to check
 * that the indexer (write time) and the parser (query time) agree on the stored forms.
 */
function matches(index: SearchIndex, f: Filter): boolean {
  switch (f.kind) {
    case 'token': {
      const hit = f.anyOf.some((t) => index.tokens.includes(t)) || f.systems.some((s) => index.tokens.some((t) => t.startsWith(s)));
      return f.not ? !hit : hit;
    }
    case 'missing':
      return index.tokens.includes(f.param) !== f.missing;
    case 'string': {
      const prefix = `${f.param}=`;
      if (f.mode === 'exact') return f.anyOf.some((v) => index.strings.includes(`${f.param}:exact=${v}`));
      if (f.mode === 'prefix') return f.anyOf.some((v) => index.strings.some((s) => s.startsWith(`${prefix}${v}`)));
      return f.anyOf.some((v) => index.strings.some((s) => s.startsWith(prefix) && s.slice(prefix.length).includes(v)));
    }
    default:
      throw new Error(`not a column filter: ${f.kind}`);
  }
}

const finds = (resource: Json, query: [string, string][]) => {
  const index = extractIndex(resource, BASE);
  const s = parseSearch(resource.resourceType as string, new URLSearchParams(query), { defaultCount: 20, maxCount: 200, strict: true, fhirBase: BASE });
  return s.filters.every((f) => matches(index, f));
};

describe('extractIndex and parseSearch agree', () => {
  it.each<[string, string]>([
    ['identifier', `${INS}|280057512345671`],
    ['identifier', '280057512345671'],
    ['identifier', `${INS}|`],
    ['identifier', '|dossier-42'],
    ['identifier', 'dossier-42'],
    ['identifier:not', 'autre'],
    ['gender', 'female'],
    ['gender', '|female'],
    ['gender:missing', 'false'],
    ['active:missing', 'true'],
    ['telecom', '+33 6 12 34 56 78'],
    ['email', 'helene.lefevre@example.fr'],
    ['name', 'Hélène'],
    ['name', 'HELENE MARIE LEF'],
    ['name', 'helene dup'],
    ['name', 'dupré'],
    ['name:exact', 'Hélène Marie Lefèvre'],
    ['name:contains', 'ARIE'],
    ['family', 'LEFEVRE'],
    ['family:exact', 'DUPRÉ'],
    ['given', 'mar'],
    ['address', 'saint-é'],
    ['address', 'batiment'],
    ['address-city', 'SAINT'],
    ['address-postalcode', '42'],
  ])('finds the patient by %s=%s', (key, value) => {
    expect(finds(helene(), [[key, value]])).toBe(true);
  });

  it.each<[string, string]>([
    ['identifier', '|280057512345671'],
    ['identifier', 'urn:oid:1.2.3|280057512345671'],
    ['identifier:not', '280057512345671'],
    ['gender', 'male'],
    ['gender:missing', 'true'],
    ['name', 'elene'],
    ['name', 'helene lef'],
    ['name:exact', 'helene'],
    ['family', 'marie'],
    ['family:exact', 'Lefevre'],
    ['email', '+33 6 12 34 56 78'],
  ])('does not find the patient by %s=%s', (key, value) => {
    expect(finds(helene(), [[key, value]])).toBe(false);
  });

  it.each<[string, string]>([
    ['type', `${LOINC}|11488-4`],
    ['type', '11488-4'],
    ['type', `${LOINC}|`],
    ['category', 'REPORTS'],
    ['setting', `${SETTING}|GENR`],
    ['facility', 'SA01'],
    ['format', `${FORMAT}|urn:ihe:iti:xds:2017:mimeTypeSufficient`],
    ['security-label', 'N'],
    ['status', 'current'],
    ['status:not', 'entered-in-error'],
    ['isArchived', 'true'],
    ['subject', 'helene'],
    ['subject', 'Patient/helene'],
    ['subject:Patient', 'helene'],
    ['patient', 'helene'],
    ['patient', `${BASE}/Patient/helene`],
    ['author', 'dr-martin'],
    ['author', `${BASE}/Practitioner/dr-martin`],
    ['author:identifier', `${RPPS}|10003456789`],
    ['author:identifier', '10003456789'],
    ['relatesto', 'cr-0'],
    ['relatesto:missing', 'false'],
    ['location', 'Binary/pdf-1'],
  ])('finds the document by %s=%s', (key, value) => {
    expect(finds(compteRendu(), [[key, value]])).toBe(true);
  });

  it.each<[string, string]>([
    ['type', `${LOINC}|34133-9`],
    ['isArchived', 'false'],
    ['patient', 'paul'],
    ['author', 'Organization/dr-martin'],
    ['author:identifier', '|10003456789'],
    ['status:not', 'current'],
  ])('does not find the document by %s=%s', (key, value) => {
    expect(finds(compteRendu(), [[key, value]])).toBe(false);
  });

  it('finds a patient by its identifier in every spelling (property)', () => {
    fc.assert(
      fc.property(
        fc.option(fc.constantFrom(INS, 'urn:oid:1.2.250.1.71.4.2.1', 'https://example.org/ids'), { nil: undefined }),
        fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
        (system, value) => {
          const p = { resourceType: 'Patient', identifier: [{ ...(system ? { system } : {}), value }] };
          expect(finds(p, [['identifier', value]])).toBe(true);
          expect(finds(p, [['identifier', `|${value}`]])).toBe(system === undefined);
          if (system) {
            expect(finds(p, [['identifier', `${system}|${value}`]])).toBe(true);
            expect(finds(p, [['identifier', `${system}|`]])).toBe(true);
            expect(finds(p, [['identifier', `urn:other|${value}`]])).toBe(false);
          }
        },
      ),
      { numRuns: 50 },
    );
  });

  it('finds a patient by any prefix of its family name as typed, whatever the case and accents (property)', () => {
    const arbName = fc.string({ unit: fc.constantFrom(...'abcdeéèêëçîïôöùüÿœæßABCÉÈÇŒÆ -\''.split('')), minLength: 1, maxLength: 16 });
    fc.assert(
      fc.property(arbName, fc.nat(), fc.boolean(), (family, cut, upper) => {
        fc.pre(family.trim() !== '');
        const p = { resourceType: 'Patient', name: [{ family }] };
        let typed = family.slice(0, 1 + (cut % family.length));
        typed = upper ? typed.toUpperCase() : typed;
        fc.pre(normalizeString(typed) !== '');
        expect(finds(p, [['family', typed]])).toBe(true);
        expect(finds(p, [['family:exact', family]])).toBe(true);
        const inside = family.slice(cut % family.length);
        if (normalizeString(inside) !== '') expect(finds(p, [['family:contains', upper ? inside.toUpperCase() : inside]])).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
