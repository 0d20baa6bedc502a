import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { frenchify, pdfBytes, provideBundle, sha1Base64, type DocSpec } from '../../../test/support/mhd-bundles.js';
import { SHARED_DATA } from '../../../test/support/paths.js';
import { checkProvideBundle, isProvideBundle, type BundleIssue } from './provide-bundle.js';

type B = Record<string, any>;

const INS = 'urn:oid:1.2.250.1.213.1.4.8';
const PATIENT = `Patient?identifier=${INS}|279035121518989`;
const MHD = 'https://profiles.ihe.net/ITI/MHD';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const IHE_DIR = path.join(SHARED_DATA, 'ihe-mhd');
const PDSM_DIR = path.join(SHARED_DATA, 'pdsm', 'pdsm4dmp', 'example');

const load = (dir: string, file: string): B => JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));

/** provideBundle() lays out: entry[0] SubmissionSet, then DocumentReference k at 1 + 2k and its Binary at 2 + 2k. */
const valid = (docs: DocSpec[] = [{}]): B => provideBundle({ patient: PATIENT, documents: docs }) as B;
const ss = (b: B): B => b.entry[0].resource;
const doc = (b: B, k = 0): B => b.entry[1 + 2 * k].resource;
const bin = (b: B, k = 0): B => b.entry[2 + 2 * k].resource;
const att = (b: B, k = 0): B => doc(b, k).content[0].attachment;

function codes(result: ReturnType<typeof checkProvideBundle>): string[] {
  return result.ok ? [] : [...new Set(result.issues.map((i) => i.code))].sort();
}
function warningCodes(result: ReturnType<typeof checkProvideBundle>): string[] {
  return result.ok ? [...new Set(result.warnings.map((i) => i.code))].sort() : [];
}
function expectOk(b: B): Extract<ReturnType<typeof checkProvideBundle>, { ok: true }> {
  const result = checkProvideBundle(b);
  if (!result.ok) expect.fail(`expected a valid bundle, got:\n${result.issues.map((i) => `${i.code}: ${i.message}`).join('\n')}`);
  return result;
}

/** Adds a Folder (listed by the SubmissionSet) holding `items` (default: the first document); returns its entry index. */
function addFolder(b: B, items?: string[]): number {
  const fullUrl = `urn:uuid:${randomUUID()}`;
  b.entry.push({
    fullUrl,
    resource: {
      resourceType: 'List',
      code: { coding: [{ system: `${MHD}/CodeSystem/MHDlistTypes`, code: 'folder' }] },
      extension: [{ url: `${MHD}/StructureDefinition/ihe-designationType`, valueCodeableConcept: { coding: [{ system: TRE_R02, code: 'SA07' }] } }],
      status: 'current',
      mode: 'working',
      title: 'Suivi de grossesse',
      date: '2026-06-12T10:00:00+02:00',
      subject: { reference: PATIENT },
      entry: (items ?? [b.entry[1].fullUrl]).map((reference) => ({ item: { reference } })),
    },
    request: { method: 'POST', url: 'List' },
  });
  ss(b).entry.push({ item: { reference: fullUrl } });
  return b.entry.length - 1;
}
const folder = (b: B): B => b.entry.at(-1).resource;

describe('checkProvideBundle: valid submissions', () => {
  it('accepts the ANS PDSm ITI-65 example, with its class/type warning', () => {
    const result = expectOk(load(PDSM_DIR, 'Bundle-example-td2-iti65-lot-soumission.json'));
    // The ANS sends type 11488-4 (a CR, class 10) with class 11, and no SubmissionSet uniqueId (its ConceptMap marks
    // uniqueID "TO DO"): both are warnings, not errors.
    expect(warningCodes(result)).toEqual(['dmp.class-type-mismatch', 'mhd.submissionset-unique-id-missing']);
    const { plan } = result;
    expect(plan.patient).toEqual({ reference: `Patient?identifier=${INS}|123456789012345` });
    expect(plan.submissionSet).toMatchObject({ entryIndex: 0, fullUrl: 'urn:uuid:aaaaaaaa-0000-0000-0000-000000000001' });
    expect(plan.documents).toHaveLength(1);
    const [d] = plan.documents;
    expect(d).toMatchObject({ entryIndex: 1, masterIdentifier: 'urn:oid:1.2.250.1.213.1.4.8.99999.2', typeCode: '11488-4', classCode: '11' });
    expect(d!.binary).toMatchObject({ entryIndex: 2, fullUrl: 'urn:uuid:aaaaaaaa-0000-0000-0000-000000000003', contentType: 'application/xml' });
    expect(d!.binary.bytes.toString('utf8')).toContain('<ClinicalDocument');
    expect(d!.replaces).toBeUndefined();
    expect(plan.folders).toEqual([]);
  });

  it('accepts the ANS PDSm replacement example; its PATCH superseding the old document is the replacement itself', () => {
    const result = expectOk(load(PDSM_DIR, 'Bundle-example-td2-1-remplacement.json'));
    expect(result.plan.documents[0]!.replaces).toEqual({ reference: 'DocumentReference/doc-x-id' });
    expect(result.plan.documents[0]!.binary.entryIndex).toBe(3);
  });

  it('accepts provideBundle() with one document, without warnings', () => {
    const b = valid();
    const result = expectOk(b);
    expect(result.warnings).toEqual([]);
    const [d] = result.plan.documents;
    expect(d!.typeCode).toBe('11502-2');
    expect(d!.classCode).toBe('10');
    expect(d!.resource).toBe(doc(b));
    expect(d!.binary.contentType).toBe('application/pdf');
    expect(d!.binary.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(sha1Base64(d!.binary.bytes)).toBe(att(b).hash);
  });

  it('accepts provideBundle() with three documents, in bundle order', () => {
    const bytes = Buffer.from('Hémoglobine glyquée : 6,1 %\n', 'utf8');
    const b = valid([{}, { typeCode: '18748-4', title: 'IRM genou' }, { bytes, typeCode: '11488-4', securityLabels: ['N', 'MASQUE_PS'] }]);
    const { plan, warnings } = expectOk(b);
    expect(warnings).toEqual([]);
    expect(plan.documents.map((d) => [d.entryIndex, d.typeCode, d.classCode])).toEqual([
      [1, '11502-2', '10'],
      [3, '18748-4', '31'],
      [5, '11488-4', '10'],
    ]);
    expect(plan.documents[2]!.binary.bytes.equals(bytes)).toBe(true);
    expect(plan.documents[2]!.binary.contentType).toBe('text/plain');
    expect(plan.patient.reference).toBe(PATIENT);
  });

  it('accepts a literal patient reference, a percent-encoded conditional one, replacements and folders', () => {
    expect(expectOk(provideBundle({ patient: 'Patient/123' }) as B).plan.patient).toEqual({ reference: 'Patient/123' });

    const encoded = valid();
    ss(encoded).subject.reference = `Patient?identifier=${encodeURIComponent(`${INS}|279035121518989`)}`;
    expect(expectOk(encoded).plan.patient.reference).toBe(PATIENT);

    const byRef = valid([{ replaces: 'DocumentReference/old-1' }]);
    expect(expectOk(byRef).plan.documents[0]!.replaces).toEqual({ reference: 'DocumentReference/old-1' });
    const byId = valid();
    doc(byId).relatesTo = [{ code: 'replaces', target: { identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3.4.5' } } }];
    expect(expectOk(byId).plan.documents[0]!.replaces).toEqual({ identifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.3.4.5' } });

    const withFolder = valid([{}, {}]);
    const index = addFolder(withFolder, [withFolder.entry[1].fullUrl, withFolder.entry[3].fullUrl, 'DocumentReference/already-stored']);
    const { plan } = expectOk(withFolder);
    expect(plan.folders).toEqual([{ entryIndex: index, fullUrl: withFolder.entry[index].fullUrl, resource: folder(withFolder) }]);
  });

  it('warns, and accepts, when the class is not the one the type requires', () => {
    const result = expectOk(valid([{ typeCode: '11502-2', classCode: '11' }]));
    expect(result.warnings).toEqual([
      {
        code: 'dmp.class-type-mismatch',
        message: expect.stringMatching(/11502-2.*class 10.*11/),
        expression: ['Bundle.entry[1].resource.category[0]'],
      },
    ]);
  });
});

describe('checkProvideBundle: the IHE MHD examples, made French', () => {
  const ITI65 = fs.readdirSync(IHE_DIR).filter((f) => /^Bundle-ex-comprehensiveProvideDocumentBundle.*\.json$/.test(f));
  const cases: [file: string, expected: string[], why?: string][] = [
    ['Bundle-ex-comprehensiveProvideDocumentBundleSimple.json', []],
    // Passes once frenchify recomputes attachment.size: the IHE example declares 24 bytes for a 23-byte Binary
    // (see the raw test below). Its PATCH to status superseded is the replacement itself.
    ['Bundle-ex-comprehensiveProvideDocumentBundleReplace.json', []],
    ['Bundle-ex-comprehensiveProvideDocumentBundleComplete.json', ['mhd.relates-to-code'], "relatesTo 'appends': the DMP only knows replacement (RPLC)"],
    ['Bundle-ex-comprehensiveProvideDocumentBundleMultiple.json', ['mhd.master-identifier-duplicate'], 'both documents carry the same masterIdentifier (an XDS uniqueId must be unique)'],
    [
      'Bundle-ex-comprehensiveProvideDocumentBundleDocument.json',
      ['mhd.binary-missing', 'mhd.entry-type', 'mhd.hash-missing', 'mhd.size-missing'],
      'the content is a FHIR document Bundle entry, not a Binary, and carries no size nor hash (PDSm: Binary, size and SHA-1 mandatory)',
    ],
    ['Bundle-ex-ProvideDocumentBundle-addToFolder.json', ['mhd.entry-method'], 'it updates an existing Folder by PUT; Carnet only creates resources (POST)'],
    [
      'Bundle-ex-unContainedComprehensiveProvideDocumentBundleComplete.json',
      ['mhd.relates-to-code', 'pdsm.author-not-contained'],
      "UnContained: authors are server references (Practitioner/ex-practitioner...) where PDSm requires contained ones; and 'appends'",
    ],
  ];

  it('covers every comprehensive ITI-65 example', () => {
    for (const f of ITI65) expect(cases.map((c) => c[0])).toContain(f);
  });

  it.each(cases)('%s -> %j', (file, expected) => {
    const raw = load(IHE_DIR, file);
    expect(isProvideBundle(raw)).toBe(true);
    const result = checkProvideBundle(frenchify(raw, PATIENT));
    expect(codes(result)).toEqual(expected);
    if (result.ok) {
      expect(result.warnings).toEqual([]);
      expect(result.plan.patient.reference).toBe(PATIENT);
    }
  });

  it('the raw IHE Replace example declares a wrong size', () => {
    const raw = load(IHE_DIR, 'Bundle-ex-comprehensiveProvideDocumentBundleReplace.json');
    const result = checkProvideBundle(raw);
    expect(result.ok).toBe(false);
    const issue = !result.ok && result.issues.find((i) => i.code === 'mhd.size-mismatch');
    expect(issue).toMatchObject({ message: expect.stringContaining('attachment.size is 24 but the Binary holds 23 bytes') });
  });

  it('a Minimal-profile example cannot pass: it lacks the Comprehensive metadata the DMP needs', () => {
    // IHE.MHD.Minimal.ProvideBundle leaves out, by design, what UnContained.Comprehensive and PDSm make mandatory:
    // type, class, security label, subject, dates, context. frenchify only replaces codes that are there.
    const result = checkProvideBundle(frenchify(load(IHE_DIR, 'Bundle-ex-minimalProvideDocumentBundleSimpleContained.json'), PATIENT));
    expect(codes(result)).toEqual([
      'mhd.attachment-creation-missing',
      'mhd.class-missing',
      'mhd.designation-type',
      'mhd.facility-type-missing',
      'mhd.practice-setting-missing',
      'mhd.security-label-missing',
      'mhd.subject-missing',
      'mhd.type-missing',
      'pdsm.date-missing',
      'pdsm.period-start-missing',
    ]);
  });
});

describe('checkProvideBundle: one rule broken at a time', () => {
  const other = `Patient?identifier=${INS}|180017512345678`;
  const hashOf = (s: string): string => sha1Base64(Buffer.from(s));
  type Case = [code: string, what: string, mutate: (b: B) => void, docs?: DocSpec[]];
  const two: DocSpec[] = [{}, {}];
  const cases: Case[] = [
    // Bundle and entries
    ['mhd.bundle-type', 'type batch', (b) => (b.type = 'batch')],
    ['mhd.bundle-entries', 'no entry', (b) => (b.entry = [])],
    ['mhd.bundle-entries', 'a null entry', (b) => b.entry.push(null)],
    ['mhd.entry-full-url', 'no fullUrl', (b) => delete b.entry[0].fullUrl],
    ['mhd.entry-full-url-duplicate', 'two entries with one fullUrl', (b) => b.entry.push(structuredClone(b.entry[2]))],
    ['mhd.entry-request', 'no request', (b) => delete b.entry[2].request],
    ['mhd.entry-request', 'POST to another type', (b) => (b.entry[1].request.url = 'Binary')],
    ['mhd.entry-method', 'PUT of a document', (b) => (b.entry[1].request.method = 'PUT')],
    ['mhd.entry-type', 'a Patient entry', (b) => b.entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: { resourceType: 'Patient' }, request: { method: 'POST', url: 'Patient' } })],
    ['mhd.entry-type', 'an entry without resource', (b) => b.entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, request: { method: 'POST', url: 'Binary' } })],
    [
      'mhd.entry-type',
      'a PATCH of a document nobody replaces',
      (b) =>
        b.entry.push({
          fullUrl: `urn:uuid:${randomUUID()}`,
          resource: { resourceType: 'Parameters', parameter: [{ name: 'operation', part: [{ name: 'type', valueCode: 'replace' }, { name: 'path', valueString: 'DocumentReference.status' }, { name: 'value', valueCode: 'superseded' }] }] },
          request: { method: 'PATCH', url: 'DocumentReference/someone-else' },
        }),
    ],
    ['mhd.list-code', 'a List of another kind', (b) => b.entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: { resourceType: 'List', code: { coding: [{ code: 'worklist' }] } }, request: { method: 'POST', url: 'List' } })],
    // SubmissionSet
    ['mhd.submissionset-count', 'no SubmissionSet', (b) => b.entry.splice(0, 1)],
    ['mhd.submissionset-count', 'two SubmissionSets', (b) => b.entry.push({ ...structuredClone(b.entry[0]), fullUrl: `urn:uuid:${randomUUID()}` })],
    ['mhd.submissionset-status', 'status retired', (b) => (ss(b).status = 'retired')],
    ['mhd.submissionset-mode', 'mode snapshot', (b) => (ss(b).mode = 'snapshot')],
    ['mhd.submissionset-unique-id', 'uniqueId not an OID', (b) => (ss(b).identifier[0].value = `urn:uuid:${randomUUID()}`)],
    ['mhd.submissionset-unique-id', 'two uniqueIds', (b) => ss(b).identifier.push(structuredClone(ss(b).identifier[0]))],
    ['mhd.submissionset-source-id', 'no sourceId', (b) => (ss(b).extension = ss(b).extension.filter((x: B) => !x.url.endsWith('ihe-sourceId')))],
    ['mhd.designation-type', 'no designationType', (b) => (ss(b).extension = ss(b).extension.filter((x: B) => !x.url.endsWith('ihe-designationType')))],
    ['mhd.designation-type', 'two designationTypes', (b) => ss(b).extension.push(structuredClone(ss(b).extension[0]))],
    ['mhd.submissionset-date', 'no date', (b) => delete ss(b).date],
    ['mhd.datetime-invalid', 'a French date', (b) => (ss(b).date = '12/06/2026')],
    ['mhd.subject-missing', 'no subject', (b) => delete ss(b).subject],
    ['pdsm.source-missing', 'no source', (b) => delete ss(b).source],
    ['pdsm.author-not-contained', 'a server reference as source', (b) => (ss(b).source = { reference: 'Practitioner/123' })],
    ['mhd.author-type', 'an Organization as source.reference', (b) => (ss(b).contained[0].resourceType = 'Organization')],
    ['mhd.submissionset-entry-unresolved', 'an item naming nothing', (b) => ss(b).entry.push({ item: { reference: `urn:uuid:${randomUUID()}` } })],
    ['mhd.submissionset-entry-unresolved', 'an item naming a Binary', (b) => ss(b).entry.push({ item: { reference: b.entry[2].fullUrl } })],
    ['mhd.document-unlisted', 'a document not listed', (b) => ss(b).entry.pop(), two],
    ['mhd.folder-unlisted', 'a folder not listed', (b) => (addFolder(b), ss(b).entry.pop())],
    ['mhd.submissionset-empty', 'nothing submitted', (b) => (b.entry.splice(1, 2), (ss(b).entry = []))],
    // DocumentReference
    ['mhd.master-identifier-missing', 'no masterIdentifier', (b) => delete doc(b).masterIdentifier],
    ['mhd.master-identifier-duplicate', 'two documents, one masterIdentifier', () => undefined, [{ masterIdentifier: 'urn:oid:1.2.250.1.213.1.1.9.7' }, { masterIdentifier: 'urn:oid:1.2.250.1.213.1.1.9.7' }]],
    ['mhd.document-status', 'status superseded', (b) => (doc(b).status = 'superseded')],
    ['mhd.type-missing', 'no type', (b) => delete doc(b).type],
    ['dmp.type-unknown', 'type outside J66', (b) => (doc(b).type.coding[0].code = '99999-9')],
    ['mhd.class-missing', 'no category', (b) => delete doc(b).category],
    ['mhd.class-cardinality', 'two categories', (b) => doc(b).category.push(structuredClone(doc(b).category[0]))],
    ['dmp.class-unknown', 'class outside J57', (b) => (doc(b).category[0].coding[0].code = '99')],
    ['pdsm.date-missing', 'no date', (b) => delete doc(b).date],
    ['mhd.datetime-invalid', 'a date that is not an instant', (b) => (doc(b).date = '2026-06-12')],
    ['pdsm.author-missing', 'no author', (b) => delete doc(b).author],
    ['pdsm.author-not-contained', 'a server reference as author', (b) => (doc(b).author = [{ reference: 'Practitioner/123' }])],
    ['pdsm.author-not-contained', 'a server reference as authenticator', (b) => (doc(b).authenticator = { reference: 'Organization/1' })],
    ['mhd.contained-unresolved', 'an author naming no contained resource', (b) => (doc(b).author = [{ reference: '#nobody' }])],
    ['mhd.author-type', 'a Location as author', (b) => (doc(b).contained[1].resourceType = 'Location')],
    ['mhd.security-label-missing', 'no securityLabel', (b) => delete doc(b).securityLabel],
    ['dmp.security-label-unknown', 'an unknown securityLabel', (b) => (doc(b).securityLabel[0].coding[0].code = 'TOP_SECRET')],
    ['mhd.content-cardinality', 'two contents', (b) => doc(b).content.push(structuredClone(doc(b).content[0]))],
    ['mhd.attachment-content-type', 'no contentType', (b) => delete att(b).contentType],
    ['mhd.attachment-data', 'inline data', (b) => (att(b).data = bin(b).data)],
    ['mhd.binary-missing', 'no Binary entry', (b) => b.entry.splice(2, 1)],
    ['mhd.binary-missing', 'no attachment.url', (b) => (delete att(b).url, b.entry.splice(2, 1))],
    ['mhd.binary-shared', 'two documents, one Binary', (b) => ((att(b, 1).url = b.entry[2].fullUrl), b.entry.splice(4, 1)), [{ bytes: Buffer.from('same') }, { bytes: Buffer.from('same') }]],
    ['mhd.size-missing', 'no size', (b) => delete att(b).size],
    ['mhd.size-mismatch', 'size off by one', (b) => (att(b).size += 1)],
    ['mhd.size-mismatch', 'size as a string', (b) => (att(b).size = String(att(b).size))],
    ['mhd.hash-missing', 'no hash', (b) => delete att(b).hash],
    ['mhd.hash-mismatch', 'the hash of other bytes', (b) => (att(b).hash = hashOf('other'))],
    ['mhd.hash-mismatch', 'a hex hash', (b) => (att(b).hash = Buffer.from(att(b).hash, 'base64').toString('hex'))],
    ['pdsm.title-missing', 'no title', (b) => delete att(b).title],
    ['mhd.attachment-language-missing', 'no language', (b) => delete att(b).language],
    ['mhd.attachment-creation-missing', 'no creation', (b) => delete att(b).creation],
    ['mhd.format-missing', 'no format', (b) => delete doc(b).content[0].format],
    ['dmp.format-unknown', 'a format outside J60/J10', (b) => (doc(b).content[0].format.code = 'urn:example:format')],
    ['mhd.content-type-mismatch', 'Binary and attachment disagree', (b) => (bin(b).contentType = 'text/plain')],
    ['mhd.facility-type-missing', 'no facilityType', (b) => delete doc(b).context.facilityType],
    ['mhd.practice-setting-missing', 'no practiceSetting', (b) => delete doc(b).context.practiceSetting],
    ['mhd.source-patient-info-missing', 'no sourcePatientInfo', (b) => delete doc(b).context.sourcePatientInfo],
    ['mhd.contained-unresolved', 'sourcePatientInfo naming no contained resource', (b) => (doc(b).context.sourcePatientInfo.reference = '#ghost')],
    ['pdsm.period-start-missing', 'no context.period.start', (b) => delete doc(b).context.period],
    ['mhd.relates-to-code', 'relatesTo appends', (b) => (doc(b).relatesTo = [{ code: 'appends', target: { reference: 'DocumentReference/a' } }])],
    ['mhd.relates-to-target', 'replacing a document of the bundle', (b) => (doc(b).relatesTo = [{ code: 'replaces', target: { reference: b.entry[3].fullUrl } }]), two],
    ['mhd.relates-to-target', 'replacing by the masterIdentifier of a document of the bundle', (b) => (doc(b).relatesTo = [{ code: 'replaces', target: { identifier: { value: doc(b, 1).masterIdentifier.value } } }]), two],
    ['mhd.relates-to-target', 'replacing a Patient', (b) => (doc(b).relatesTo = [{ code: 'replaces', target: { reference: 'Patient/1' } }])],
    ['mhd.relates-to-target', 'replacing nothing', (b) => (doc(b).relatesTo = [{ code: 'replaces', target: {} }])],
    ['mhd.relates-to-target', 'two documents replacing one', () => undefined, [{ replaces: 'DocumentReference/x' }, { replaces: 'DocumentReference/x' }]],
    [
      'pdsm.relates-to-cardinality',
      'two replacements',
      (b) =>
        (doc(b).relatesTo = [
          { code: 'replaces', target: { reference: 'DocumentReference/a' } },
          { code: 'replaces', target: { reference: 'DocumentReference/b' } },
        ]),
    ],
    // Patient
    ['mhd.patient-mismatch', 'a document for another patient', (b) => (doc(b).subject.reference = other)],
    ['mhd.patient-reference', 'an absolute patient URL', (b) => (doc(b).subject.reference = 'https://example.org/fhir/Patient/1')],
    ['mhd.patient-reference', 'a conditional reference without value', (b) => (doc(b).subject.reference = `Patient?identifier=${INS}`)],
    ['mhd.patient-reference', 'a conditional reference without system', (b) => (doc(b).subject.reference = 'Patient?identifier=|279035121518989')],
    ['mhd.patient-reference', 'a conditional reference on another parameter', (b) => (doc(b).subject.reference = 'Patient?name=Martin')],
    ['mhd.patient-reference', 'a urn:uuid patient', (b) => (doc(b).subject.reference = `urn:uuid:${randomUUID()}`)],
    ['mhd.patient-reference', 'a logical reference by identifier only', (b) => (doc(b).subject = { identifier: { system: INS, value: '279035121518989' } })],
    ['mhd.subject-missing', 'a document without subject', (b) => delete doc(b).subject],
    // Binary
    ['mhd.binary-content-type-missing', 'Binary without contentType', (b) => delete bin(b).contentType],
    ['mhd.binary-data', 'Binary data not base64', (b) => (bin(b).data = 'not base64!')],
    ['mhd.binary-data', 'Binary without data', (b) => delete bin(b).data],
    ['mhd.binary-unreferenced', 'a Binary no document names', (b) => b.entry.push({ fullUrl: `urn:uuid:${randomUUID()}`, resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGk=' }, request: { method: 'POST', url: 'Binary' } })],
    // Folder
    ['mhd.folder-status', 'folder retired', (b) => (addFolder(b), (folder(b).status = 'retired'))],
    ['mhd.folder-mode', 'folder snapshot', (b) => (addFolder(b), (folder(b).mode = 'snapshot'))],
    ['mhd.folder-title-missing', 'folder without title', (b) => (addFolder(b), delete folder(b).title)],
    ['mhd.designation-type', 'folder with two designationTypes', (b) => (addFolder(b), folder(b).extension.push(structuredClone(folder(b).extension[0])))],
    ['pdsm.folder-date-missing', 'folder without date', (b) => (addFolder(b), delete folder(b).date)],
    ['mhd.folder-entry', 'empty folder', (b) => (addFolder(b), (folder(b).entry = []))],
    ['mhd.folder-entry', 'folder naming a Binary', (b) => addFolder(b, [b.entry[2].fullUrl])],
    ['mhd.folder-entry', 'folder naming something unknown', (b) => addFolder(b, [`urn:uuid:${randomUUID()}`])],
    ['mhd.patient-mismatch', 'folder for another patient', (b) => (addFolder(b), (folder(b).subject.reference = other))],
    ['mhd.subject-missing', 'folder without subject', (b) => (addFolder(b), delete folder(b).subject)],
    ['mhd.entry-method', 'folder updated by PUT', (b) => (addFolder(b), (b.entry.at(-1).request.method = 'PUT'))],
  ];

  it.each(cases)('%s: %s', (code, _what, mutate, docs) => {
    const b = valid(docs);
    mutate(b);
    const result = checkProvideBundle(b);
    expect(codes(result), result.ok ? 'accepted' : result.issues.map((i) => i.message).join('\n')).toEqual([code]);
  });

  it('lists every rule code of the doc comment in the table above (and no other)', () => {
    const source = fs.readFileSync(new URL('./provide-bundle.ts', import.meta.url), 'utf8');
    const documented = new Set([...source.matchAll(/^ \* ((?:mhd|pdsm|dmp)\.[a-z-]+)(?: \/ ((?:mhd|pdsm|dmp)\.[a-z-]+))? \|/gm)].flatMap((m) => [m[1], m[2]].filter(Boolean)));
    const tested = new Set([...cases.map((c) => c[0]), 'dmp.class-type-mismatch', 'mhd.submissionset-unique-id-missing']);
    expect([...tested].sort()).toEqual([...documented].sort());
  });

  it('warns when the SubmissionSet has no uniqueId', () => {
    const b = valid();
    delete ss(b).identifier;
    expect(warningCodes(checkProvideBundle(b))).toEqual(['mhd.submissionset-unique-id-missing']);
  });

  it('names the rule, the values and the place', () => {
    const b = valid();
    att(b).hash = hashOf('other');
    const result = checkProvideBundle(b);
    expect(result.ok).toBe(false);
    const issues = (result as { issues: BundleIssue[] }).issues;
    expect(issues).toEqual([
      {
        code: 'mhd.hash-mismatch',
        message: `DocumentReference ${b.entry[1].fullUrl}: attachment.hash is ${hashOf('other')} but the Binary's SHA-1 is ${sha1Base64(Buffer.from(bin(b).data, 'base64'))}`,
        expression: ['Bundle.entry[1].resource.content[0].attachment.hash'],
      },
    ]);
  });

  it('reports every problem, not only the first', () => {
    const b = valid([{}, {}]);
    delete doc(b).masterIdentifier;
    doc(b, 1).type.coding[0].code = 'NOPE';
    bin(b, 1).data = '***';
    doc(b).subject.reference = other;
    expect(codes(checkProvideBundle(b))).toEqual(['dmp.type-unknown', 'mhd.binary-data', 'mhd.master-identifier-missing', 'mhd.patient-mismatch']);
  });
});

describe('checkProvideBundle never throws', () => {
  type Path = (string | number)[];
  function paths(v: unknown, prefix: Path = [], out: Path[] = []): Path[] {
    out.push(prefix);
    if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...prefix, i], out));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...prefix, k], out);
    return out;
  }
  const DELETE = Symbol('delete');
  function mutate(root: B, at: Path, value: unknown): unknown {
    if (at.length === 0) return value === DELETE ? undefined : value;
    const copy = structuredClone(root);
    let o: any = copy;
    for (const k of at.slice(0, -1)) o = o[k];
    const last = at.at(-1)!;
    if (value === DELETE) {
      if (Array.isArray(o)) o.splice(Number(last), 1);
      else delete o[last];
    } else o[last] = value;
    return copy;
  }
  const odd = fc.oneof(
    fc.constant(DELETE),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.constant(''),
    fc.constant([null]),
    fc.constant({ reference: 7 }),
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.jsonValue(),
    fc.anything(),
  );
  const withFolder = valid([{}, { replaces: 'DocumentReference/old' }]);
  addFolder(withFolder);
  const bases: [string, B][] = [
    ['provideBundle() with a folder and a replacement', withFolder],
    ['the ANS replacement example', load(PDSM_DIR, 'Bundle-example-td2-1-remplacement.json')],
  ];

  it.each(bases)('random single mutations of %s', (_name, base) => {
    expectOk(base);
    const all = paths(base);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), odd, (i, value) => {
        const mutated = mutate(base, all[i]!, value);
        const result = checkProvideBundle(mutated as B);
        expect(typeof result.ok).toBe('boolean');
        if (result.ok) {
          expect(result.plan.documents.length).toBeGreaterThan(0);
        } else {
          expect(result.issues.length).toBeGreaterThan(0);
          for (const issue of result.issues) {
            expect(issue.code).toMatch(/^(mhd|pdsm|dmp)\.[a-z-]+$/);
            expect(typeof issue.message).toBe('string');
            expect(issue.expression.every((e) => typeof e === 'string')).toBe(true);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('survives non-bundles', () => {
    for (const v of [null, undefined, 0, 'Bundle', [], [{}], { resourceType: 'Bundle', entry: 'x' }, { resourceType: 'Bundle', type: 'transaction', entry: [1, 'a', [], null] }]) {
      expect(checkProvideBundle(v as B).ok).toBe(false);
      expect(isProvideBundle(v as B)).toBe(false);
    }
  });
});

describe('isProvideBundle', () => {
  it('recognises a SubmissionSet or a claimed ProvideBundle profile', () => {
    expect(isProvideBundle(valid())).toBe(true);
    const unclaimed = valid();
    delete unclaimed.meta;
    expect(isProvideBundle(unclaimed)).toBe(true);
    const claimedOnly = { resourceType: 'Bundle', type: 'transaction', meta: { profile: [`${MHD}/StructureDefinition/IHE.MHD.Comprehensive.ProvideBundle|4.2.3`] }, entry: [] };
    expect(isProvideBundle(claimedOnly)).toBe(true);
    expect(isProvideBundle(load(IHE_DIR, 'Bundle-ex-minimalProvideDocumentBundleSimple.json'))).toBe(true);
  });

  it('rejects other bundles', () => {
    expect(isProvideBundle(load(IHE_DIR, 'Bundle-ex-dummyBundleDocAndBinary.json'))).toBe(false);
    // A searchset of SubmissionSets (ITI-66 response) is not a submission.
    expect(isProvideBundle(load(IHE_DIR, 'Bundle-ex-findDocumentListsResponse.json'))).toBe(false);
    expect(isProvideBundle({ resourceType: 'Bundle', type: 'transaction', entry: [{ resource: { resourceType: 'Patient' } }] })).toBe(false);
  });
});

describe('pdfBytes', () => {
  it('makes a PDF that pdf-lib reads, of about the size asked', async () => {
    const small = await pdfBytes('Compte rendu de biologie');
    const big = await pdfBytes('Imagerie', 40);
    expect(Math.abs(big.length - 40 * 1024)).toBeLessThan(100);
    for (const bytes of [small, big]) {
      const pdf = await PDFDocument.load(bytes, { updateMetadata: false });
      expect(pdf.getPageCount()).toBe(1);
    }
  });
});
