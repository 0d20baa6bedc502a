import { createHash, randomUUID } from 'node:crypto';
import { classCodeOf, SYSTEMS, typeByCode, visibilityCoding, type Visibility } from '../../domain/documents/codes.js';
import { UPLOAD_FORMATS, type UploadFormat } from '../../domain/documents/upload.js';

type Json = Record<string, unknown>;

/**
 * The ITI-65 submission Carnet writes for a professional who deposits a document from the professional space,
 * so that the web deposit goes through exactly the path practice software uses (provide.ts).
 */
export interface DepositInput {
  patientId: string;
  bytes: Buffer;
  format: UploadFormat;
  typeCode: string;
  title: string;
  /** When the act took place (ISO date or date-time); now when absent. */
  date?: string;
  visibility: Visibility[];
  /** DocumentReference id this document replaces. */
  replaces?: string;
  author: { practitionerId: string; family?: string; given?: string; display: string };
  now: Date;
}

const MHD = 'https://profiles.ihe.net/ITI/MHD';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
/** The OID arc Carnet names its submissions and documents under when it writes them itself. */
export const CARNET_OID = '1.2.250.1.213.1.1.9';

function oid(): string {
  const n = BigInt(`0x${randomUUID().replaceAll('-', '')}`);
  return `urn:oid:2.25.${n.toString()}`;
}

export function depositBundle(d: DepositInput): Json {
  const at = d.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const row = typeByCode(d.typeCode);
  const classCode = row?.classCode ?? '10';
  const fmt = UPLOAD_FORMATS[d.format];
  const docUrl = `urn:uuid:${randomUUID()}`;
  const binUrl = `urn:uuid:${randomUUID()}`;
  const author = {
    resourceType: 'Practitioner',
    id: 'author',
    identifier: [{ system: SYSTEMS.idNatPs, value: d.author.practitionerId }],
    name: [{ ...(d.author.family ? { family: d.author.family } : {}), ...(d.author.given ? { given: [d.author.given] } : {}), text: d.author.display }],
  };
  const patient = `Patient/${d.patientId}`;
  const start = d.date ? (d.date.length === 10 ? `${d.date}T00:00:00Z` : d.date) : at;
  const labels = [{ coding: [{ system: SYSTEMS.confidentiality, code: 'N', display: 'normal' }] }, ...d.visibility.map((v) => ({ coding: [visibilityCoding(v)] }))];
  const document = {
    resourceType: 'DocumentReference',
    contained: [{ resourceType: 'Patient', id: 'patient-source' }, author],
    masterIdentifier: { system: 'urn:ietf:rfc:3986', value: oid() },
    status: 'current',
    type: { coding: [{ system: row?.system ?? SYSTEMS.loinc, code: d.typeCode, ...(row ? { display: row.display } : {}) }] },
    category: [{ coding: [{ system: SYSTEMS.classCode, code: classCode, display: classCodeOf({ code: classCode })?.display ?? '' }] }],
    subject: { reference: patient },
    date: at,
    author: [{ reference: '#author' }],
    authenticator: { reference: '#author' },
    ...(d.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: `DocumentReference/${d.replaces}` } }] } : {}),
    securityLabel: labels,
    content: [
      {
        attachment: {
          contentType: fmt.mimeType,
          language: 'fr-FR',
          url: binUrl,
          size: d.bytes.length,
          hash: createHash('sha1').update(d.bytes).digest('base64'),
          title: d.title,
          creation: at,
        },
        format: { system: SYSTEMS.formatIhe, code: fmt.formatCode },
      },
    ],
    context: {
      period: { start },
      facilityType: { coding: [{ system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' }] },
      practiceSetting: { coding: [{ system: 'http://snomed.info/sct', code: '394802001', display: 'General medicine' }] },
      sourcePatientInfo: { reference: '#patient-source' },
    },
  };
  const submissionSet = {
    resourceType: 'List',
    contained: [author],
    extension: [
      { url: `${MHD}/StructureDefinition/ihe-designationType`, valueCodeableConcept: { coding: [{ system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' }] } },
      { url: `${MHD}/StructureDefinition/ihe-sourceId`, valueIdentifier: { system: 'urn:ietf:rfc:3986', value: `urn:oid:${CARNET_OID}` } },
    ],
    identifier: [{ type: { coding: [{ system: `${MHD}/CodeSystem/IHE.MHD.MHDIdentifierType`, code: 'uniqueId' }] }, system: 'urn:ietf:rfc:3986', value: oid() }],
    status: 'current',
    mode: 'working',
    title: 'Dépôt depuis l’espace professionnel',
    code: { coding: [{ system: SYSTEMS.listType, code: 'submissionset' }] },
    subject: { reference: patient },
    date: at,
    source: { reference: '#author' },
    entry: [{ item: { reference: docUrl } }],
  };
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      { fullUrl: `urn:uuid:${randomUUID()}`, resource: submissionSet, request: { method: 'POST', url: 'List' } },
      { fullUrl: docUrl, resource: document, request: { method: 'POST', url: 'DocumentReference' } },
      { fullUrl: binUrl, resource: { resourceType: 'Binary', contentType: fmt.mimeType, data: d.bytes.toString('base64') }, request: { method: 'POST', url: 'Binary' } },
    ],
  };
}
