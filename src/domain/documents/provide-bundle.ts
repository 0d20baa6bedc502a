import { createHash } from 'node:crypto';
import { classCodeOf, formatCodeOf, securityCodeOf, typeCodeOf, type Coding } from './codes.js';

/**
 * The check of an IHE MHD ITI-65 "Provide Document Bundle" (domain.md §2.1), as the French PDSm profile
 * (pdsm-comprehensive-provide-document-bundle, based on IHE.MHD.Comprehensive.ProvideBundle) and the DMP value
 * sets (J57 class, J66 type, J60/J10 format, J08 + TRE_A07 security labels) constrain it. Pure: it reads the
 * JSON, hashes the Binary bytes, and returns every problem it finds, or the plan the service executes.
 *
 * The check never throws: any JSON (null, arrays where objects are expected, wrong types) gives issues.
 *
 * Rules. Errors go in `issues` (the bundle is refused), warnings in `warnings` (the bundle is accepted).
 * "MHD" is IHE MHD 4.2 (Minimal -> UnContained.Comprehensive -> Comprehensive), "PDSm" the ANS profiles of PDSm 3.1.
 *
 * code | rule | source
 * --- | --- | ---
 * mhd.bundle-type | the body is a Bundle of type transaction | MHD Minimal.ProvideBundle Bundle.type = transaction
 * mhd.bundle-entries | Bundle.entry is a non-empty array of objects | MHD Minimal.ProvideBundle entry 1..*
 * mhd.entry-full-url | every entry has a fullUrl | ITI-65 (references between entries use the fullUrl)
 * mhd.entry-full-url-duplicate | no two entries share a fullUrl | FHIR transaction (bdl-7)
 * mhd.entry-request | every entry has request.method and request.url; a POST's url is the resource type | MHD Minimal.ProvideBundle entry.request 1..1
 * mhd.entry-method | List, DocumentReference and Binary entries are POST (new resources; folder updates by PUT are not supported) | MHD slices (request.method = POST); Carnet
 * mhd.entry-type | entries are List (SubmissionSet, Folder), DocumentReference or Binary; the only other entry accepted is the PATCH (Parameters) that sets status = superseded on the DocumentReference a document of the bundle replaces, which the replacement does anyway. Patient entries, FHIR document Bundles and other PATCHes are refused | MHD Minimal.ProvideBundle slices; PDSm (attachment.url names a Binary); Carnet
 * mhd.list-code | a List is coded submissionset or folder (MHDlistTypes) | MHD List.code 1..1, required binding
 * mhd.submissionset-count | exactly one SubmissionSet | MHD entry:SubmissionSet 1..1
 * mhd.submissionset-status | SubmissionSet.status = current | MHD Minimal.SubmissionSet
 * mhd.submissionset-mode | SubmissionSet.mode = working | MHD Minimal.SubmissionSet
 * mhd.submissionset-unique-id | at most one uniqueId identifier, whose value starts with urn:oid: | MHD SubmissionSetUniqueIdIdentifier (mhd-startswithoid)
 * mhd.submissionset-unique-id-missing | WARNING: the SubmissionSet has no uniqueId identifier (the service assigns one) | XDS/pdsm4dmp logical model uniqueID 1..1, but MHD 0..1 and the pdsm4dmp ConceptMap leaves it "TO DO" (the ANS example has none)
 * mhd.submissionset-source-id | exactly one ihe-sourceId extension with a valueIdentifier.value | MHD Minimal.SubmissionSet extension:sourceId 1..1
 * mhd.designation-type | exactly one ihe-designationType extension (with a coding) on the SubmissionSet and on each Folder | MHD Comprehensive (1..) + Minimal SubmissionSet (..1); PDSm Folder (..1)
 * mhd.submissionset-date | SubmissionSet.date (submission time) | MHD Minimal.SubmissionSet date 1..1
 * mhd.datetime-invalid | List.date, DocumentReference.date (instant), attachment.creation and context.period.start are well-formed FHIR dates | FHIR R4 datatypes
 * pdsm.source-missing | the SubmissionSet has an author: source.reference or the ihe-authorOrg extension | PDSm SubmissionSet source 1..1, contained 1..*
 * mhd.submissionset-entry-unresolved | each SubmissionSet entry.item names (by fullUrl) a DocumentReference or Folder entry of the bundle | MHD SubmissionSet entry.item; ITI-65
 * mhd.document-unlisted | every DocumentReference of the bundle is listed by the SubmissionSet | ITI-65 / XDS (HasMember)
 * mhd.folder-unlisted | every Folder of the bundle is listed by the SubmissionSet | ITI-65 / XDS (HasMember)
 * mhd.submissionset-empty | the bundle holds at least one DocumentReference or Folder | ITI-65
 * mhd.subject-missing | the SubmissionSet, each DocumentReference and each Folder have a subject | MHD Comprehensive subject 1..1
 * mhd.patient-reference | a subject is "Patient/<id>" or "Patient?identifier=<system>|<value>" (both parts); absolute URLs, urn:uuid and identifier-only references are refused | Carnet
 * mhd.patient-mismatch | every subject names the same patient | ITI-65 (one patient per submission)
 * mhd.master-identifier-missing | DocumentReference.masterIdentifier.value | MHD Minimal.DocumentReference masterIdentifier 1..1
 * mhd.master-identifier-duplicate | no two documents of the bundle share a masterIdentifier | XDS uniqueId
 * mhd.document-status | DocumentReference.status = current | MHD DocumentReferenceStats (current for a new document)
 * mhd.type-missing | DocumentReference.type | MHD Comprehensive type 1..1
 * dmp.type-unknown | the type is a J66 code (LOINC, TRE_A05 or ASTM) | PDSm constr-bind-type; JDV_J66-TypeCode-DMP
 * mhd.class-missing | DocumentReference.category | MHD Comprehensive category 1..1
 * mhd.class-cardinality | at most one category | MHD Minimal.DocumentReference category ..1
 * dmp.class-unknown | the category is a J57 class | PDSm constr-bind-category; JDV_J57-ClassCode-DMP
 * dmp.class-type-mismatch | WARNING: the class is not the one the type requires (ANS concept map ASS_X16); accepted, because the ANS's own PDSm example sends 11488-4 with class 11 | ASS_X16
 * pdsm.date-missing | DocumentReference.date | PDSm date 1..1
 * pdsm.author-missing | DocumentReference.author 1..* | PDSm author 1..*
 * pdsm.author-not-contained | authors and authenticators (DocumentReference.author/authenticator, SubmissionSet.source and its authorOrg) are contained resources ("#id") | PDSm DocumentReference/SubmissionSet contained 1..*
 * mhd.contained-unresolved | a "#id" reference names a contained resource of the same resource | FHIR (ref-1)
 * mhd.author-type | a contained author is of an allowed type (DocumentReference.author: Practitioner, PractitionerRole, Organization, Device, Patient, RelatedPerson; authenticator: Practitioner, PractitionerRole, Organization; SubmissionSet.source: Practitioner, PractitionerRole, Patient, Device; authorOrg: Organization) | MHD Comprehensive targetProfile
 * mhd.security-label-missing | at least one securityLabel | MHD Comprehensive securityLabel 1..* (PDSm inherits it)
 * dmp.security-label-unknown | every securityLabel coding is a J08 (N, R, V) or TRE_A07 visibility code | PDSm binding JDV_J08; domain.md §2.6
 * mhd.content-cardinality | exactly one content | MHD Minimal.DocumentReference content ..1 (and 1..1 in R4)
 * mhd.attachment-content-type | attachment.contentType | MHD Minimal contentType 1..1
 * mhd.attachment-data | no inline attachment.data (the bytes travel in a Binary entry) | MHD Minimal data ..0
 * mhd.binary-missing | attachment.url names (by fullUrl) a Binary entry of the bundle | MHD Minimal url 1..1; PDSm constr-bind-attachmenturl
 * mhd.binary-shared | two documents do not name the same Binary | XDS (one document, one content)
 * mhd.size-missing / mhd.size-mismatch | attachment.size, equal to the Binary's decoded byte count | PDSm size 1..1
 * mhd.hash-missing / mhd.hash-mismatch | attachment.hash, the base64 SHA-1 of the Binary's decoded bytes | PDSm hash 1..1 (SHA-1); FHIR base64Binary
 * pdsm.title-missing | attachment.title | PDSm title 1..1
 * mhd.attachment-language-missing | attachment.language | MHD Comprehensive language 1..1
 * mhd.attachment-creation-missing | attachment.creation | MHD Comprehensive creation 1..1
 * mhd.format-missing | content.format | MHD Comprehensive format 1..1
 * dmp.format-unknown | the format is a J60 (or known J10) code | PDSm constr-bind-format; JDV_J60-FormatCode-DMP
 * mhd.content-type-mismatch | Binary.contentType equals attachment.contentType (MIME type, case and parameters ignored) | ITI-65
 * mhd.facility-type-missing | context.facilityType | MHD Comprehensive facilityType 1..1
 * mhd.practice-setting-missing | context.practiceSetting | MHD Comprehensive practiceSetting 1..1
 * mhd.source-patient-info-missing | context.sourcePatientInfo | MHD Comprehensive sourcePatientInfo 1..1
 * pdsm.period-start-missing | context.period.start (dateDebutActe) | PDSm context.period 1..1, period.start 1..1
 * mhd.relates-to-code | relatesTo.code is replaces (the DMP only knows RPLC) | Carnet/DMP
 * mhd.relates-to-target | a replaced document is "DocumentReference/<id>" or an identifier with a value; not a document of this bundle; not replaced twice in the bundle | PDSm constr-bind-relatesToTarget; XDS RPLC
 * pdsm.relates-to-cardinality | at most one relatesTo per document | PDSm constr-bind-relatesTo (1..1 when replacing)
 * mhd.binary-content-type-missing | Binary.contentType | FHIR Binary.contentType 1..1
 * mhd.binary-data | Binary.data present and valid base64 | FHIR base64Binary
 * mhd.binary-unreferenced | every Binary is named by a document | ITI-65
 * mhd.folder-status | Folder.status = current | MHD Folder (Carnet: new folders only)
 * mhd.folder-mode | Folder.mode = working | MHD Minimal.Folder
 * mhd.folder-title-missing | Folder.title | MHD Comprehensive.Folder title 1..1
 * pdsm.folder-date-missing | Folder.date | PDSm Folder date 1..1
 * mhd.folder-entry | a Folder has at least one entry; each item names a DocumentReference of the bundle (fullUrl) or an existing "DocumentReference/<id>" | PDSm Folder entry 1..*; MHD Folder entry.item
 *
 * Not enforced, on purpose: DocumentReference.custodian (PDSm 1..1, but the ANS's own ITI-65 examples omit it and
 * the DMP takes the custodian from the caller's VIHF), masterIdentifier.type and system (MHD UniqueIdIdentifier,
 * omitted by the ANS examples), and the value sets of facilityType, practiceSetting and designationType (the ANS
 * examples use SNOMED CT codes where the CI-SIS sets list TRE_R02 ones; Carnet holds neither set).
 */

type Json = Record<string, unknown>;

export interface BundleIssue {
  /** Stable rule code, e.g. 'mhd.hash-mismatch', 'mhd.master-identifier-missing', 'dmp.type-unknown'. */
  code: string;
  /** English, names the rule and the value, e.g. "DocumentReference urn:uuid:… attachment.hash is … but the Binary's SHA-1 is …". */
  message: string;
  /** FHIRPath-like location, e.g. ["Bundle.entry[1].resource.content[0].attachment.hash"]. */
  expression: string[];
}
export interface PlannedBinary {
  entryIndex: number;
  fullUrl: string;
  contentType: string;
  bytes: Buffer;
}
export interface PlannedDocument {
  entryIndex: number;
  fullUrl: string;
  resource: Json; // the DocumentReference as submitted
  masterIdentifier: string; // its value
  typeCode: string;
  classCode: string;
  binary: PlannedBinary; // the Binary its content[0].attachment.url names
  /** relatesTo replaces: the target reference as written ("DocumentReference/123", or an identifier value when the target is given by identifier). */
  replaces?: { reference?: string; identifier?: { system?: string; value: string } };
}
export interface ProvidePlan {
  submissionSet: { entryIndex: number; fullUrl: string; resource: Json };
  documents: PlannedDocument[];
  folders: { entryIndex: number; fullUrl: string; resource: Json }[];
  /** The one patient every entry names: a literal reference "Patient/<id>" or a conditional one "Patient?identifier=<system>|<value>". */
  patient: { reference: string };
}

const MHD = 'https://profiles.ihe.net/ITI/MHD';
const LIST_TYPE_SYSTEMS = new Set([`${MHD}/CodeSystem/MHDlistTypes`, 'http://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes']);
const EXT = {
  designationType: `${MHD}/StructureDefinition/ihe-designationType`,
  sourceId: `${MHD}/StructureDefinition/ihe-sourceId`,
  authorOrg: `${MHD}/StructureDefinition/ihe-authorOrg`,
} as const;
const PROVIDE_PROFILES = new Set([
  `${MHD}/StructureDefinition/IHE.MHD.Minimal.ProvideBundle`,
  `${MHD}/StructureDefinition/IHE.MHD.Comprehensive.ProvideBundle`,
  `${MHD}/StructureDefinition/IHE.MHD.UnContained.Comprehensive.ProvideBundle`,
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-comprehensive-provide-document-bundle',
  'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/PDSm_ComprehensiveProvideDocumentBundle',
]);

const AUTHOR_TYPES = ['Practitioner', 'PractitionerRole', 'Organization', 'Device', 'Patient', 'RelatedPerson'];
const AUTHENTICATOR_TYPES = ['Practitioner', 'PractitionerRole', 'Organization'];
const SOURCE_TYPES = ['Practitioner', 'PractitionerRole', 'Patient', 'Device'];

const FHIR_ID = '[A-Za-z0-9\\-.]{1,64}';
const LITERAL_PATIENT = new RegExp(`^Patient/${FHIR_ID}$`);
const LITERAL_DOCREF = new RegExp(`^DocumentReference/${FHIR_ID}$`);
const DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;
const INSTANT = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

// ---------------------------------------------------------------------------------------------------------------
// Defensive JSON access: nothing below trusts the shape of the input.

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}
function obj(v: unknown): Json {
  return isObj(v) ? v : {};
}
/** A non-empty string (FHIR forbids empty strings), else undefined. */
function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}
function codingsOf(cc: unknown): Coding[] {
  return arr(obj(cc).coding)
    .filter(isObj)
    .map((c) => ({ system: str(c.system), code: str(c.code), display: str(c.display) }));
}
function hasCode(cc: unknown): boolean {
  return codingsOf(cc).some((c) => c.code !== undefined);
}
/** JSON.stringify for messages, short and never throwing. */
function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? 'absent' : (JSON.stringify(v) ?? String(v));
  } catch {
    s = String(v);
  }
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
}

/** Strict base64 (whitespace tolerated, as FHIR base64Binary does), or undefined. */
function decodeBase64(s: string): Buffer | undefined {
  const t = s.replace(/\s+/g, '');
  if (t.length === 0 || t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, 'base64');
}

function bareMime(v: string): string {
  return v.split(';')[0]!.trim().toLowerCase();
}

function listKind(list: Json): 'submissionset' | 'folder' | undefined {
  for (const c of codingsOf(list.code)) {
    if (c.system !== undefined && LIST_TYPE_SYSTEMS.has(c.system) && (c.code === 'submissionset' || c.code === 'folder')) return c.code;
  }
  return undefined;
}

/**
 * The canonical form of a patient reference: "Patient/<id>", or "Patient?identifier=<system>|<value>" with both
 * parts (percent-encoding decoded). Undefined when the reference is of another form.
 */
function canonicalPatient(ref: string): string | undefined {
  if (LITERAL_PATIENT.test(ref)) return ref;
  const m = /^Patient\?identifier=([^&]*)$/.exec(ref);
  if (!m) return undefined;
  let token: string;
  try {
    token = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  const bar = token.indexOf('|');
  if (bar < 0) return undefined;
  const system = token.slice(0, bar).trim();
  const value = token.slice(bar + 1).trim();
  if (!system || !value || value.includes('|')) return undefined;
  return `Patient?identifier=${system}|${value}`;
}

// ---------------------------------------------------------------------------------------------------------------

/** Whether a transaction Bundle is an ITI-65 submission: it holds a List coded submissionset (MHDlistTypes), or claims an MHD/PDSm ProvideBundle profile. */
export function isProvideBundle(bundle: Json): boolean {
  if (!isObj(bundle) || bundle.resourceType !== 'Bundle') return false;
  const claims = arr(obj(bundle.meta).profile).some((p) => typeof p === 'string' && PROVIDE_PROFILES.has(p.split('|')[0]!));
  if (claims) return true;
  if (bundle.type !== 'transaction') return false;
  return arr(bundle.entry).some((e) => {
    const r = obj(obj(e).resource);
    return r.resourceType === 'List' && listKind(r) === 'submissionset';
  });
}

interface Entry {
  index: number;
  fullUrl?: string;
  resource: Json;
  method?: string;
  url?: string;
  base: string; // "Bundle.entry[i]"
  label: string; // "DocumentReference urn:uuid:..."
}

class Report {
  readonly issues: BundleIssue[] = [];
  readonly warnings: BundleIssue[] = [];
  error(code: string, message: string, ...expression: string[]): void {
    this.issues.push({ code, message, expression });
  }
  warn(code: string, message: string, ...expression: string[]): void {
    this.warnings.push({ code, message, expression });
  }
}

export function checkProvideBundle(bundle: Json): { ok: true; plan: ProvidePlan; warnings: BundleIssue[] } | { ok: false; issues: BundleIssue[] } {
  const r = new Report();
  if (!isObj(bundle) || bundle.resourceType !== 'Bundle') {
    r.error('mhd.bundle-type', `An ITI-65 submission is a Bundle; got resourceType ${show(obj(bundle).resourceType)}`, 'Bundle');
    return { ok: false, issues: r.issues };
  }
  if (bundle.type !== 'transaction') {
    r.error('mhd.bundle-type', `An ITI-65 Bundle is of type transaction, not ${show(bundle.type)}`, 'Bundle.type');
  }
  const rawEntries = bundle.entry;
  if (!Array.isArray(rawEntries) || rawEntries.length === 0) {
    r.error('mhd.bundle-entries', 'The Bundle has no entry: an ITI-65 Bundle holds a SubmissionSet, DocumentReferences and Binaries', 'Bundle.entry');
    return { ok: false, issues: r.issues };
  }

  // ---- Entries: shape, fullUrl, request, type.
  const byUrl = new Map<string, Entry>();
  const submissionSets: Entry[] = [];
  const folders: Entry[] = [];
  const docs: Entry[] = [];
  const binaries: Entry[] = [];
  const patches: Entry[] = [];

  rawEntries.forEach((raw, index) => {
    const base = `Bundle.entry[${index}]`;
    if (!isObj(raw)) {
      r.error('mhd.bundle-entries', `Bundle.entry[${index}] is ${show(raw)}, not an object`, base);
      return;
    }
    const resource = raw.resource;
    const type = isObj(resource) ? str(resource.resourceType) : undefined;
    const fullUrl = str(raw.fullUrl);
    const label = `${type ?? 'entry'} ${fullUrl ?? `#${index}`}`;
    if (fullUrl === undefined) {
      r.error('mhd.entry-full-url', `${label} has no fullUrl: ITI-65 entries name each other by fullUrl (urn:uuid:...)`, `${base}.fullUrl`);
    }
    const request = raw.request;
    const method = isObj(request) ? str(request.method) : undefined;
    const url = isObj(request) ? str(request.url) : undefined;
    if (method === undefined || url === undefined) {
      r.error('mhd.entry-request', `${label} has no request with a method and a url (got ${show(request)})`, `${base}.request`);
    }
    if (!isObj(resource) || type === undefined) {
      r.error('mhd.entry-type', `${base} has no resource with a resourceType`, `${base}.resource`);
      return;
    }
    const entry: Entry = { index, fullUrl, resource, method, url, base, label };
    if (fullUrl !== undefined) {
      if (byUrl.has(fullUrl)) {
        r.error('mhd.entry-full-url-duplicate', `${label}: fullUrl ${fullUrl} is also the fullUrl of entry ${byUrl.get(fullUrl)!.index}`, `${base}.fullUrl`);
      } else {
        byUrl.set(fullUrl, entry);
      }
    }
    if (type === 'Parameters') {
      patches.push(entry); // judged once the replacements are known
      return;
    }
    if (type !== 'List' && type !== 'DocumentReference' && type !== 'Binary') {
      r.error(
        'mhd.entry-type',
        `${label}: an ITI-65 Bundle holds only List (SubmissionSet, Folder), DocumentReference and Binary entries, not ${type}` +
          (type === 'Bundle' ? ' (a FHIR document goes in a Binary)' : ''),
        `${base}.resource`,
      );
      return;
    }
    if (method !== undefined && method !== 'POST') {
      r.error('mhd.entry-method', `${label}: request.method is ${method}, but ITI-65 ${type} entries are new resources, created by POST`, `${base}.request.method`);
    } else if (method === 'POST' && url !== undefined && url !== type) {
      r.error('mhd.entry-request', `${label}: a POST of a ${type} has request.url "${type}", not "${url}"`, `${base}.request.url`);
    }
    if (type === 'List') {
      const kind = listKind(resource);
      if (kind === 'submissionset') submissionSets.push(entry);
      else if (kind === 'folder') folders.push(entry);
      else {
        r.error(
          'mhd.list-code',
          `${label}: List.code is ${show(resource.code)}, neither submissionset nor folder (${[...LIST_TYPE_SYSTEMS][0]})`,
          `${base}.resource.code`,
        );
      }
    } else if (type === 'DocumentReference') docs.push(entry);
    else binaries.push(entry);
  });

  // ---- Patient: every subject names the same patient.
  const patients: { ref: string; expr: string; label: string }[] = [];
  const checkSubject = (e: Entry): void => {
    const expr = `${e.base}.resource.subject`;
    const subject = e.resource.subject;
    if (subject === undefined || subject === null) {
      r.error('mhd.subject-missing', `${e.label} has no subject: it must name the patient`, expr);
      return;
    }
    const ref = str(obj(subject).reference);
    const canonical = ref === undefined ? undefined : canonicalPatient(ref);
    if (canonical === undefined) {
      r.error(
        'mhd.patient-reference',
        `${e.label}: subject ${show(ref ?? subject)} is neither "Patient/<id>" nor "Patient?identifier=<system>|<value>"`,
        `${expr}.reference`,
      );
      return;
    }
    patients.push({ ref: canonical, expr: `${expr}.reference`, label: e.label });
  };

  // ---- Binaries.
  const bytesOf = new Map<Entry, Buffer>();
  for (const b of binaries) {
    const contentType = str(b.resource.contentType);
    if (contentType === undefined) {
      r.error('mhd.binary-content-type-missing', `${b.label} has no contentType`, `${b.base}.resource.contentType`);
    }
    const data = b.resource.data;
    const bytes = typeof data === 'string' ? decodeBase64(data) : undefined;
    if (bytes === undefined) {
      r.error(
        'mhd.binary-data',
        data === undefined ? `${b.label} has no data: the document's bytes go in Binary.data, base64` : `${b.label}: data is not valid base64`,
        `${b.base}.resource.data`,
      );
    } else {
      bytesOf.set(b, bytes);
    }
  }

  // ---- DocumentReferences.
  const docUrls = new Set(docs.map((d) => d.fullUrl).filter((u): u is string => u !== undefined));
  const masterIds = new Map<string, Entry>();
  for (const d of docs) {
    const mi = str(obj(d.resource.masterIdentifier).value);
    if (mi !== undefined && !masterIds.has(mi)) masterIds.set(mi, d);
  }
  const binaryUsers = new Map<Entry, Entry[]>();
  const replacedTargets = new Map<string, Entry>();
  const planned = new Map<Entry, Omit<PlannedDocument, 'binary'> & { binaryEntry?: Entry }>();

  for (const d of docs) {
    const res = d.resource;
    const at = (path: string): string => `${d.base}.resource.${path}`;

    const masterIdentifier = str(obj(res.masterIdentifier).value);
    if (masterIdentifier === undefined) {
      r.error('mhd.master-identifier-missing', `${d.label} has no masterIdentifier.value (the document's uniqueId)`, at('masterIdentifier'));
    } else if (masterIds.get(masterIdentifier) !== d) {
      r.error(
        'mhd.master-identifier-duplicate',
        `${d.label}: masterIdentifier ${masterIdentifier} is also the masterIdentifier of ${masterIds.get(masterIdentifier)!.label}`,
        at('masterIdentifier.value'),
      );
    }
    if (res.status !== 'current') {
      r.error('mhd.document-status', `${d.label}: status is ${show(res.status)}; a new document is current`, at('status'));
    }

    // type (J66) and class (J57)
    let typeRow: ReturnType<typeof typeCodeOf>;
    if (!hasCode(res.type)) {
      r.error('mhd.type-missing', `${d.label} has no type (J66 type code)`, at('type'));
    } else {
      typeRow = codingsOf(res.type).map(typeCodeOf).find((t) => t !== undefined);
      if (!typeRow) {
        r.error('dmp.type-unknown', `${d.label}: type ${show(codingsOf(res.type).map((c) => `${c.system ?? ''}|${c.code ?? ''}`))} is not in JDV_J66-TypeCode-DMP`, at('type'));
      }
    }
    const categories = arr(res.category);
    let classRow: ReturnType<typeof classCodeOf>;
    if (categories.length === 0 || !categories.some(hasCode)) {
      r.error('mhd.class-missing', `${d.label} has no category (J57 class code)`, at('category'));
    } else {
      if (categories.length > 1) {
        r.error('mhd.class-cardinality', `${d.label} has ${categories.length} categories; a document has one class`, at('category'));
      }
      classRow = codingsOf(categories[0]).map(classCodeOf).find((c) => c !== undefined);
      if (!classRow) {
        r.error('dmp.class-unknown', `${d.label}: category ${show(codingsOf(categories[0]).map((c) => `${c.system ?? ''}|${c.code ?? ''}`))} is not in JDV_J57-ClassCode-DMP`, at('category[0]'));
      }
    }
    if (typeRow && classRow && typeRow.classCode !== classRow.code) {
      r.warn(
        'dmp.class-type-mismatch',
        `${d.label}: type ${typeRow.code} (${typeRow.display}) belongs to class ${typeRow.classCode}, but the category is ${classRow.code} (${classRow.display})`,
        at('category[0]'),
      );
    }

    checkSubject(d);

    const date = res.date;
    if (date === undefined || date === null) {
      r.error('pdsm.date-missing', `${d.label} has no date`, at('date'));
    } else if (typeof date !== 'string' || !INSTANT.test(date)) {
      r.error('mhd.datetime-invalid', `${d.label}: date ${show(date)} is not a FHIR instant`, at('date'));
    }

    // authors (contained)
    const authors = arr(res.author);
    if (authors.length === 0) {
      r.error('pdsm.author-missing', `${d.label} has no author`, at('author'));
    }
    authors.forEach((a, i) => checkContainedAuthor(r, d, res, a, at(`author[${i}]`), 'author', AUTHOR_TYPES));
    if (res.authenticator !== undefined) checkContainedAuthor(r, d, res, res.authenticator, at('authenticator'), 'authenticator', AUTHENTICATOR_TYPES);

    // security labels
    const labels = arr(res.securityLabel);
    if (labels.length === 0) {
      r.error('mhd.security-label-missing', `${d.label} has no securityLabel (confidentiality: N, R or V, and any TRE_A07 visibility code)`, at('securityLabel'));
    }
    labels.forEach((l, i) => {
      const codings = codingsOf(l);
      const unknown = codings.length === 0 ? [{}] : codings.filter((c) => securityCodeOf(c) === undefined);
      for (const c of unknown) {
        r.error(
          'dmp.security-label-unknown',
          `${d.label}: securityLabel ${show(c)} is neither a J08 confidentiality code (N, R, V) nor a TRE_A07 visibility code`,
          at(`securityLabel[${i}]`),
        );
      }
    });

    // content
    const contents = arr(res.content);
    if (contents.length !== 1) {
      r.error('mhd.content-cardinality', `${d.label} has ${contents.length} content elements; an ITI-65 document has exactly one`, at('content'));
    }
    const content = obj(contents[0]);
    const attachment = obj(content.attachment);
    const att = (p: string): string => at(`content[0].attachment.${p}`);
    let binaryEntry: Entry | undefined;
    if (contents.length > 0) {
      const contentType = str(attachment.contentType);
      if (contentType === undefined) r.error('mhd.attachment-content-type', `${d.label} has no attachment.contentType`, att('contentType'));
      if (attachment.data !== undefined) {
        r.error('mhd.attachment-data', `${d.label} carries attachment.data inline; ITI-65 sends the bytes in a Binary entry named by attachment.url`, att('data'));
      }
      const url = str(attachment.url);
      const target = url === undefined ? undefined : byUrl.get(url);
      if (target && target.resource.resourceType === 'Binary') {
        binaryEntry = target;
        binaryUsers.set(target, [...(binaryUsers.get(target) ?? []), d]);
      } else {
        r.error(
          'mhd.binary-missing',
          url === undefined
            ? `${d.label} has no attachment.url naming its Binary entry`
            : target
              ? `${d.label}: attachment.url ${url} names a ${show(target.resource.resourceType)} entry, not a Binary`
              : `${d.label}: attachment.url ${url} names no Binary entry of the bundle`,
          att('url'),
        );
      }
      const bytes = binaryEntry ? bytesOf.get(binaryEntry) : undefined;

      const size = attachment.size;
      if (size === undefined || size === null) {
        r.error('mhd.size-missing', `${d.label} has no attachment.size`, att('size'));
      } else if (typeof size !== 'number' || !Number.isInteger(size) || size < 0) {
        r.error('mhd.size-mismatch', `${d.label}: attachment.size ${show(size)} is not a byte count`, att('size'));
      } else if (bytes && size !== bytes.length) {
        r.error('mhd.size-mismatch', `${d.label}: attachment.size is ${size} but the Binary holds ${bytes.length} bytes`, att('size'));
      }

      const hash = attachment.hash;
      if (hash === undefined || hash === null) {
        r.error('mhd.hash-missing', `${d.label} has no attachment.hash (SHA-1, base64)`, att('hash'));
      } else {
        const declared = typeof hash === 'string' ? decodeBase64(hash) : undefined;
        const actual = bytes ? createHash('sha1').update(bytes).digest() : undefined;
        if (!declared || declared.length !== 20) {
          const hex = typeof hash === 'string' && /^[0-9a-fA-F]{40}$/.test(hash) ? ' (it looks like hex: MHD carries the SHA-1 in base64)' : '';
          r.error('mhd.hash-mismatch', `${d.label}: attachment.hash ${show(hash)} is not a base64 SHA-1${hex}`, att('hash'));
        } else if (actual && !declared.equals(actual)) {
          r.error('mhd.hash-mismatch', `${d.label}: attachment.hash is ${hash} but the Binary's SHA-1 is ${actual.toString('base64')}`, att('hash'));
        }
      }

      if (str(attachment.title) === undefined) r.error('pdsm.title-missing', `${d.label} has no attachment.title`, att('title'));
      if (str(attachment.language) === undefined) r.error('mhd.attachment-language-missing', `${d.label} has no attachment.language (fr-FR)`, att('language'));
      const creation = attachment.creation;
      if (creation === undefined || creation === null) {
        r.error('mhd.attachment-creation-missing', `${d.label} has no attachment.creation`, att('creation'));
      } else if (typeof creation !== 'string' || !DATE_TIME.test(creation)) {
        r.error('mhd.datetime-invalid', `${d.label}: attachment.creation ${show(creation)} is not a FHIR dateTime`, att('creation'));
      }

      const format = content.format;
      if (!isObj(format) || str(format.code) === undefined) {
        r.error('mhd.format-missing', `${d.label} has no content.format`, at('content[0].format'));
      } else if (!formatCodeOf({ system: str(format.system), code: str(format.code) })) {
        r.error('dmp.format-unknown', `${d.label}: format ${show(format.code)} is not in JDV_J60-FormatCode-DMP nor a known J10 code`, at('content[0].format'));
      }

      const binaryType = binaryEntry ? str(binaryEntry.resource.contentType) : undefined;
      if (contentType !== undefined && binaryType !== undefined && bareMime(contentType) !== bareMime(binaryType)) {
        r.error(
          'mhd.content-type-mismatch',
          `${d.label}: attachment.contentType is ${contentType} but its Binary's contentType is ${binaryType}`,
          att('contentType'),
          `${binaryEntry!.base}.resource.contentType`,
        );
      }
    }

    // context
    const context = obj(res.context);
    if (!hasCode(context.facilityType)) r.error('mhd.facility-type-missing', `${d.label} has no context.facilityType`, at('context.facilityType'));
    if (!hasCode(context.practiceSetting)) r.error('mhd.practice-setting-missing', `${d.label} has no context.practiceSetting`, at('context.practiceSetting'));
    const start = obj(context.period).start;
    if (start === undefined || start === null) {
      r.error('pdsm.period-start-missing', `${d.label} has no context.period.start (date of the act)`, at('context.period.start'));
    } else if (typeof start !== 'string' || !DATE_TIME.test(start)) {
      r.error('mhd.datetime-invalid', `${d.label}: context.period.start ${show(start)} is not a FHIR dateTime`, at('context.period.start'));
    }
    const spi = context.sourcePatientInfo;
    if (!isObj(spi) || (str(spi.reference) === undefined && !isObj(spi.identifier))) {
      r.error('mhd.source-patient-info-missing', `${d.label} has no context.sourcePatientInfo`, at('context.sourcePatientInfo'));
    } else {
      const ref = str(spi.reference);
      if (ref?.startsWith('#') && containedOf(res, ref) === undefined) {
        r.error('mhd.contained-unresolved', `${d.label}: context.sourcePatientInfo ${ref} names no contained resource`, at('context.sourcePatientInfo.reference'));
      }
    }

    // relatesTo
    let replaces: PlannedDocument['replaces'];
    const relations = arr(res.relatesTo);
    if (relations.length > 1) {
      r.error('pdsm.relates-to-cardinality', `${d.label} has ${relations.length} relatesTo; a document replaces at most one`, at('relatesTo'));
    }
    relations.forEach((rel, i) => {
      const relation = obj(rel);
      const rexpr = at(`relatesTo[${i}]`);
      if (relation.code !== 'replaces') {
        r.error('mhd.relates-to-code', `${d.label}: relatesTo.code is ${show(relation.code)}; only replaces is accepted`, `${rexpr}.code`);
        return;
      }
      const target = obj(relation.target);
      const ref = str(target.reference);
      const identifier = obj(target.identifier);
      const idValue = str(identifier.value);
      let key: string | undefined;
      if (ref !== undefined) {
        if (byUrl.has(ref) || docUrls.has(ref)) {
          r.error('mhd.relates-to-target', `${d.label}: relatesTo.target ${ref} is an entry of this bundle; a document replaces one already stored`, `${rexpr}.target.reference`);
        } else if (!LITERAL_DOCREF.test(ref)) {
          r.error('mhd.relates-to-target', `${d.label}: relatesTo.target ${ref} is not "DocumentReference/<id>"`, `${rexpr}.target.reference`);
        } else {
          key = ref;
          if (i === 0) replaces = { reference: ref };
        }
      } else if (idValue !== undefined) {
        if (masterIds.has(idValue)) {
          r.error('mhd.relates-to-target', `${d.label}: relatesTo.target ${idValue} is the masterIdentifier of a document of this bundle`, `${rexpr}.target.identifier`);
        } else {
          key = `identifier:${idValue}`;
          const system = str(identifier.system);
          if (i === 0) replaces = { identifier: system === undefined ? { value: idValue } : { system, value: idValue } };
        }
      } else {
        r.error('mhd.relates-to-target', `${d.label}: relatesTo.target names no DocumentReference (neither a reference nor an identifier value)`, `${rexpr}.target`);
      }
      if (key !== undefined) {
        const other = replacedTargets.get(key);
        if (other && other !== d) {
          r.error('mhd.relates-to-target', `${d.label}: ${key} is also replaced by ${other.label}`, `${rexpr}.target`);
        } else {
          replacedTargets.set(key, d);
        }
      }
    });

    planned.set(d, {
      entryIndex: d.index,
      fullUrl: d.fullUrl ?? '',
      resource: res,
      masterIdentifier: masterIdentifier ?? '',
      typeCode: typeRow?.code ?? '',
      classCode: classRow?.code ?? '',
      binaryEntry,
      ...(replaces ? { replaces } : {}),
    });
  }

  // ---- Binaries named by no document, or by several.
  for (const b of binaries) {
    const users = binaryUsers.get(b) ?? [];
    const named = b.fullUrl !== undefined && docs.some((d) => str(obj(obj(arr(d.resource.content)[0]).attachment).url) === b.fullUrl);
    if (!named) {
      r.error('mhd.binary-unreferenced', `${b.label} is named by no DocumentReference attachment.url`, `${b.base}`);
    } else if (users.length > 1) {
      r.error('mhd.binary-shared', `${b.label} is named by ${users.length} DocumentReferences (${users.map((u) => u.fullUrl).join(', ')}); each document has its own Binary`, `${b.base}`);
    }
  }

  // ---- PATCH entries: only the status change of a document this bundle replaces.
  for (const p of patches) {
    const target = p.url;
    const ok =
      p.method === 'PATCH' &&
      target !== undefined &&
      LITERAL_DOCREF.test(target) &&
      replacedTargets.has(target) &&
      isSupersedePatch(p.resource);
    if (!ok) {
      r.error(
        'mhd.entry-type',
        `${p.label} (${p.method ?? '?'} ${p.url ?? '?'}): the only Parameters entry accepted is the PATCH that sets status = superseded on the DocumentReference a document of this bundle replaces`,
        `${p.base}.resource`,
      );
    }
  }

  // ---- SubmissionSet.
  if (submissionSets.length !== 1) {
    r.error(
      'mhd.submissionset-count',
      submissionSets.length === 0
        ? 'The Bundle holds no SubmissionSet (a List coded submissionset)'
        : `The Bundle holds ${submissionSets.length} SubmissionSets (entries ${submissionSets.map((s) => s.index).join(', ')}); ITI-65 sends exactly one`,
      ...(submissionSets.length === 0 ? ['Bundle.entry'] : submissionSets.slice(1).map((s) => s.base)),
    );
  }
  const ss = submissionSets[0];
  if (ss) {
    const res = ss.resource;
    const at = (path: string): string => `${ss.base}.resource.${path}`;
    if (res.status !== 'current') r.error('mhd.submissionset-status', `${ss.label}: status is ${show(res.status)}, not current`, at('status'));
    if (res.mode !== 'working') r.error('mhd.submissionset-mode', `${ss.label}: mode is ${show(res.mode)}, not working`, at('mode'));

    const uniqueIds = arr(res.identifier).filter((id) => codingsOf(obj(id).type).some((c) => c.code === 'uniqueId'));
    if (uniqueIds.length === 0) {
      r.warn('mhd.submissionset-unique-id-missing', `${ss.label} has no uniqueId identifier; Carnet assigns one`, at('identifier'));
    } else if (uniqueIds.length > 1) {
      r.error('mhd.submissionset-unique-id', `${ss.label} has ${uniqueIds.length} uniqueId identifiers`, at('identifier'));
    } else {
      const value = str(obj(uniqueIds[0]).value);
      if (value === undefined || !value.startsWith('urn:oid:')) {
        r.error('mhd.submissionset-unique-id', `${ss.label}: the uniqueId ${show(value)} does not start with urn:oid:`, at('identifier'));
      }
    }

    const extensions = arr(res.extension).map(obj);
    const sourceIds = extensions.filter((x) => x.url === EXT.sourceId);
    if (sourceIds.length !== 1 || str(obj(sourceIds[0]?.valueIdentifier).value) === undefined) {
      r.error('mhd.submissionset-source-id', `${ss.label} must have one ihe-sourceId extension with a valueIdentifier.value (found ${sourceIds.length})`, at('extension'));
    }
    checkDesignationType(r, ss, extensions);

    const date = res.date;
    if (date === undefined || date === null) {
      r.error('mhd.submissionset-date', `${ss.label} has no date (the submission time)`, at('date'));
    } else if (typeof date !== 'string' || !DATE_TIME.test(date)) {
      r.error('mhd.datetime-invalid', `${ss.label}: date ${show(date)} is not a FHIR dateTime`, at('date'));
    }

    checkSubject(ss);

    // source (the submission's author), contained
    const source = obj(res.source);
    const sourceRef = res.source === undefined ? undefined : source.reference;
    const authorOrg = arr(source.extension)
      .map(obj)
      .find((x) => x.url === EXT.authorOrg);
    if (sourceRef === undefined && authorOrg === undefined) {
      r.error('pdsm.source-missing', `${ss.label} has no source (its author: source.reference or the ihe-authorOrg extension)`, at('source'));
    }
    if (sourceRef !== undefined) checkContainedAuthor(r, ss, res, source, at('source'), 'source', SOURCE_TYPES);
    if (authorOrg !== undefined) checkContainedAuthor(r, ss, res, authorOrg.valueReference, at('source.extension'), 'source authorOrg', ['Organization']);

    // entries
    const listed = new Set<string>();
    arr(res.entry).forEach((item, i) => {
      const ref = str(obj(obj(item).item).reference);
      const target = ref === undefined ? undefined : byUrl.get(ref);
      const kind = target?.resource.resourceType === 'List' ? listKind(target.resource) : target?.resource.resourceType;
      if (!target || (kind !== 'DocumentReference' && kind !== 'folder')) {
        r.error(
          'mhd.submissionset-entry-unresolved',
          `${ss.label}: entry[${i}].item ${show(ref)} names no DocumentReference or Folder entry of the bundle (by fullUrl)`,
          at(`entry[${i}].item`),
        );
      } else {
        listed.add(ref!);
      }
    });
    for (const d of docs) {
      if (d.fullUrl !== undefined && !listed.has(d.fullUrl)) {
        r.error('mhd.document-unlisted', `${d.label} is not listed by the SubmissionSet's entries`, `${ss.base}.resource.entry`);
      }
    }
    for (const f of folders) {
      if (f.fullUrl !== undefined && !listed.has(f.fullUrl)) {
        r.error('mhd.folder-unlisted', `${f.label} is not listed by the SubmissionSet's entries`, `${ss.base}.resource.entry`);
      }
    }
    if (docs.length === 0 && folders.length === 0) {
      r.error('mhd.submissionset-empty', `${ss.label}: the Bundle holds no DocumentReference and no Folder`, 'Bundle.entry');
    }
  }

  // ---- Folders.
  for (const f of folders) {
    const res = f.resource;
    const at = (path: string): string => `${f.base}.resource.${path}`;
    if (res.status !== 'current') r.error('mhd.folder-status', `${f.label}: status is ${show(res.status)}, not current`, at('status'));
    if (res.mode !== 'working') r.error('mhd.folder-mode', `${f.label}: mode is ${show(res.mode)}, not working`, at('mode'));
    if (str(res.title) === undefined) r.error('mhd.folder-title-missing', `${f.label} has no title`, at('title'));
    checkDesignationType(r, f, arr(res.extension).map(obj));
    const date = res.date;
    if (date === undefined || date === null) {
      r.error('pdsm.folder-date-missing', `${f.label} has no date`, at('date'));
    } else if (typeof date !== 'string' || !DATE_TIME.test(date)) {
      r.error('mhd.datetime-invalid', `${f.label}: date ${show(date)} is not a FHIR dateTime`, at('date'));
    }
    checkSubject(f);
    const items = arr(res.entry);
    if (items.length === 0) r.error('mhd.folder-entry', `${f.label} has no entry; a folder holds at least one document`, at('entry'));
    items.forEach((item, i) => {
      const ref = str(obj(obj(item).item).reference);
      if (ref === undefined || !(docUrls.has(ref) || (LITERAL_DOCREF.test(ref) && !byUrl.has(ref)))) {
        r.error(
          'mhd.folder-entry',
          `${f.label}: entry[${i}].item ${show(ref)} names neither a DocumentReference of this bundle (fullUrl) nor an existing DocumentReference/<id>`,
          at(`entry[${i}].item`),
        );
      }
    });
  }

  // ---- One patient for all.
  const patient = (ss && patients.find((p) => p.expr.startsWith(`${ss.base}.`))) ?? patients[0];
  if (patient) {
    for (const p of patients) {
      if (p.ref !== patient.ref) {
        r.error('mhd.patient-mismatch', `${p.label} names patient ${p.ref} but ${patient.label} names ${patient.ref}`, p.expr);
      }
    }
  }

  if (r.issues.length > 0 || !ss || !patient) {
    if (r.issues.length === 0) r.error('mhd.submissionset-count', 'The Bundle holds no SubmissionSet naming a patient', 'Bundle.entry');
    return { ok: false, issues: r.issues };
  }

  // No issue: every piece the plan needs is there.
  const documents: PlannedDocument[] = docs.map((d) => {
    const { binaryEntry, ...rest } = planned.get(d)!;
    const b = binaryEntry!;
    return { ...rest, binary: { entryIndex: b.index, fullUrl: b.fullUrl!, contentType: str(b.resource.contentType)!, bytes: bytesOf.get(b)! } };
  });
  return {
    ok: true,
    plan: {
      submissionSet: { entryIndex: ss.index, fullUrl: ss.fullUrl!, resource: ss.resource },
      documents,
      folders: folders.map((f) => ({ entryIndex: f.index, fullUrl: f.fullUrl!, resource: f.resource })),
      patient: { reference: patient.ref },
    },
    warnings: r.warnings,
  };
}

function containedOf(resource: Json, ref: string): Json | undefined {
  const id = ref.slice(1);
  return arr(resource.contained)
    .filter(isObj)
    .find((c) => c.id === id);
}

/** An author-like reference must name a contained resource (PDSm) of one of `types` (MHD). */
function checkContainedAuthor(r: Report, e: Entry, resource: Json, reference: unknown, expr: string, what: string, types: string[]): void {
  const ref = str(obj(reference).reference);
  if (ref === undefined || !ref.startsWith('#')) {
    r.error('pdsm.author-not-contained', `${e.label}: ${what} ${show(ref ?? reference)} is not a contained resource ("#id"), as PDSm requires`, expr);
    return;
  }
  const target = containedOf(resource, ref);
  if (!target) {
    r.error('mhd.contained-unresolved', `${e.label}: ${what} ${ref} names no contained resource`, `${expr}.reference`);
    return;
  }
  if (!types.includes(String(target.resourceType))) {
    r.error('mhd.author-type', `${e.label}: ${what} ${ref} is a ${show(target.resourceType)}, not one of ${types.join(', ')}`, `${expr}.reference`);
  }
}

function checkDesignationType(r: Report, e: Entry, extensions: Json[]): void {
  const found = extensions.filter((x) => x.url === EXT.designationType);
  if (found.length !== 1 || !hasCode(found[0]!.valueCodeableConcept)) {
    r.error('mhd.designation-type', `${e.label} must have exactly one ihe-designationType extension with a coded valueCodeableConcept (found ${found.length})`, `${e.base}.resource.extension`);
  }
}

/** A FHIRPath Patch that only sets DocumentReference.status to superseded (MHD UpdateDocumentRefs, as the IHE and ANS replacement examples send). */
function isSupersedePatch(params: Json): boolean {
  const ops = arr(params.parameter).map(obj);
  if (ops.length !== 1 || ops[0]!.name !== 'operation') return false;
  const parts = new Map<string, unknown>();
  for (const p of arr(ops[0]!.part).map(obj)) {
    const name = str(p.name);
    if (name !== undefined) parts.set(name, p.valueCode ?? p.valueString ?? p.valueCoding);
  }
  return parts.get('type') === 'replace' && parts.get('path') === 'DocumentReference.status' && parts.get('value') === 'superseded';
}
