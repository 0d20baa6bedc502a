import { createHash, randomInt, randomUUID } from 'node:crypto';
import { SYSTEMS, classCodeOf, formatCodeOf, typeByCode, typeCodeOf } from '../../src/domain/documents/codes.js';

/**
 * Fixtures of IHE MHD ITI-65 (Provide Document Bundle) submissions as a French LPS sends them to the DMP
 * (PDSm profiles, J57/J66/J60 codes). See src/domain/documents/provide-bundle.ts for the rules they satisfy.
 */

type Json = Record<string, unknown>;

export interface DocSpec {
  bytes?: Buffer;
  contentType?: string;
  typeCode?: string /* default '11502-2' */;
  classCode?: string /* default: the type's class */;
  title?: string;
  masterIdentifier?: string /* default random urn:oid:1.2.250.1.213.1.1.9.<random digits> */;
  securityLabels?: string[] /* visibility/confidentiality codes; default ['N'] */;
  replaces?: string /* 'DocumentReference/<id>' */;
  formatCode?: string;
}

const MHD = 'https://profiles.ihe.net/ITI/MHD';
const PDSM = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition';
const TRE_R02 = 'https://mos.esante.gouv.fr/NOS/TRE_R02-SecteurActivite/FHIR/TRE-R02-SecteurActivite';
const IDNPS_TYPE = 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203';
const DEFAULT_ID_NAT = '899700218896'; // the ANS test professional of the PDSm examples

/** A random OID under Carnet's test arc (no leading zero in any arc). */
export function randomOid(): string {
  return `urn:oid:1.2.250.1.213.1.1.9.${randomInt(1, 1_000_000_000)}.${randomInt(1, 1_000_000_000)}`;
}

export function sha1Base64(bytes: Buffer): string {
  return createHash('sha1').update(bytes).digest('base64');
}

const FORMAT_OF_MIME: Record<string, string> = {
  'application/pdf': 'urn:ihe:iti:xds-sd:pdf:2008',
  'text/plain': 'urn:ihe:iti:xds-sd:text:2008',
  'image/jpeg': 'urn:ihe:iti-fr:xds-sd:jpeg:2010',
  'image/tiff': 'urn:ihe:iti-fr:xds-sd:tiff:2010',
  'application/rtf': 'urn:ihe:iti-fr:xds-sd:rtf:2010',
};

function typeCoding(code: string): Json {
  const row = typeByCode(code);
  return { system: row?.system ?? SYSTEMS.loinc, code, ...(row ? { display: row.display } : {}) };
}
function classCoding(code: string): Json {
  const row = classCodeOf({ code });
  return { system: SYSTEMS.classCode, code, ...(row ? { display: row.display } : {}) };
}
function formatCoding(code: string): Json {
  const row = formatCodeOf({ code });
  return { system: row?.terminology.startsWith('TRE_A06') ? SYSTEMS.formatAns : SYSTEMS.formatIhe, code, ...(row ? { display: row.display } : {}) };
}
function securityCoding(code: string): Json {
  return { system: ['N', 'R', 'V'].includes(code) ? SYSTEMS.confidentiality : SYSTEMS.visibility, code };
}
/** The MIME type of fixture bytes: PDF, JPEG, else plain text. */
function sniff(bytes: Buffer): string {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  return 'text/plain';
}
function formatOfMime(contentType: string): string {
  return FORMAT_OF_MIME[contentType.split(';')[0]!.trim().toLowerCase()] ?? 'urn:ihe:iti:xds:2017:mimeTypeSufficient';
}

function practitioner(id: string, idNat: string): Json {
  return {
    resourceType: 'Practitioner',
    id,
    identifier: [{ type: { coding: [{ system: IDNPS_TYPE, code: 'IDNPS' }] }, system: SYSTEMS.idNatPs, value: idNat }],
  };
}

/** The contained Patient of sourcePatientInfo: the INS when the reference is conditional on it. */
function sourcePatient(patient: string): Json {
  const m = /^Patient\?identifier=([^|]+)\|(.+)$/.exec(patient);
  return { resourceType: 'Patient', id: 'patient-source', ...(m ? { identifier: [{ system: decodeURIComponent(m[1]!), value: decodeURIComponent(m[2]!) }] } : {}) };
}

/** FHIR instant, second precision. */
function now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A valid French ITI-65 bundle for one patient reference, with one or several documents, authored by a practitioner with this IdNat_PS (contained Practitioner with urn:oid:1.2.250.1.71.4.2.1 identifier). */
export function provideBundle(opts: { patient: string; authorIdNat?: string; documents?: DocSpec[] }): Record<string, unknown> {
  const idNat = opts.authorIdNat ?? DEFAULT_ID_NAT;
  const specs = opts.documents && opts.documents.length > 0 ? opts.documents : [{}];
  const date = now();
  const docEntries: Json[] = [];
  const items: Json[] = [];
  specs.forEach((spec, i) => {
    const title = spec.title ?? `Compte rendu ${i + 1}`;
    const bytes = spec.bytes ?? pdfBytes(title);
    const contentType = spec.contentType ?? sniff(bytes);
    const typeCode = spec.typeCode ?? '11502-2';
    const classCode = spec.classCode ?? typeByCode(typeCode)?.classCode ?? '10';
    const docUrl = `urn:uuid:${randomUUID()}`;
    const binUrl = `urn:uuid:${randomUUID()}`;
    items.push({ item: { reference: docUrl } });
    docEntries.push(
      {
        fullUrl: docUrl,
        resource: {
          resourceType: 'DocumentReference',
          meta: { profile: [`${PDSM}/pdsm-comprehensive-document-reference`] },
          contained: [sourcePatient(opts.patient), practitioner('author', idNat)],
          masterIdentifier: { system: 'urn:ietf:rfc:3986', value: spec.masterIdentifier ?? randomOid() },
          status: 'current',
          type: { coding: [typeCoding(typeCode)] },
          category: [{ coding: [classCoding(classCode)] }],
          subject: { reference: opts.patient },
          date,
          author: [{ reference: '#author' }],
          authenticator: { reference: '#author' },
          ...(spec.replaces ? { relatesTo: [{ code: 'replaces', target: { reference: spec.replaces } }] } : {}),
          securityLabel: (spec.securityLabels ?? ['N']).map((code) => ({ coding: [securityCoding(code)] })),
          content: [
            {
              attachment: { contentType, language: 'fr-FR', url: binUrl, size: bytes.length, hash: sha1Base64(bytes), title, creation: date },
              format: formatCoding(spec.formatCode ?? formatOfMime(contentType)),
            },
          ],
          context: {
            period: { start: date },
            facilityType: { coding: [{ system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' }] },
            practiceSetting: { coding: [{ system: 'http://snomed.info/sct', code: '394802001', display: 'General medicine' }] },
            sourcePatientInfo: { reference: '#patient-source' },
          },
        },
        request: { method: 'POST', url: 'DocumentReference' },
      },
      {
        fullUrl: binUrl,
        resource: { resourceType: 'Binary', contentType, data: bytes.toString('base64') },
        request: { method: 'POST', url: 'Binary' },
      },
    );
  });
  const submissionSet = {
    fullUrl: `urn:uuid:${randomUUID()}`,
    resource: {
      resourceType: 'List',
      meta: { profile: [`${PDSM}/pdsm-submissionset-comprehensive`] },
      contained: [practitioner('author', idNat)],
      extension: [
        { url: `${MHD}/StructureDefinition/ihe-designationType`, valueCodeableConcept: { coding: [{ system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' }] } },
        { url: `${MHD}/StructureDefinition/ihe-sourceId`, valueIdentifier: { system: 'urn:ietf:rfc:3986', value: 'urn:oid:1.2.250.1.213.1.1.9.1' } },
      ],
      identifier: [
        {
          type: { coding: [{ system: `${MHD}/CodeSystem/IHE.MHD.MHDIdentifierType`, code: 'uniqueId' }] },
          system: 'urn:ietf:rfc:3986',
          value: randomOid(),
        },
      ],
      status: 'current',
      mode: 'working',
      title: 'Lot de soumission',
      code: { coding: [{ system: SYSTEMS.listType, code: 'submissionset' }] },
      subject: { reference: opts.patient },
      date,
      source: { reference: '#author' },
      entry: items,
    },
    request: { method: 'POST', url: 'List' },
  };
  return {
    resourceType: 'Bundle',
    meta: { profile: [`${PDSM}/pdsm-comprehensive-provide-document-bundle`] },
    type: 'transaction',
    entry: [submissionSet, ...docEntries],
  };
}

// ---------------------------------------------------------------------------------------------------------------

/** IHE example type codes -> J66 (28655-9 "Discharge summary" is the French lettre de liaison de sortie). */
const TYPE_MAP: Record<string, string> = { '28655-9': '11490-0' };
const DEFAULT_TYPE = '11488-4';

function walk(v: unknown, visit: (o: Json) => void): void {
  if (Array.isArray(v)) v.forEach((x) => walk(x, visit));
  else if (v && typeof v === 'object') {
    visit(v as Json);
    Object.values(v).forEach((x) => walk(x, visit));
  }
}

function asObj(v: unknown): Json | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined;
}

/**
 * The IHE example bundles made French: patient reference replaced, type/class/format/securityLabel codes replaced by
 * J66/J57/J60 ones, hashes recomputed if needed. Also added where missing, because PDSm requires them and the IHE
 * Comprehensive examples may omit them: a contained author (Practitioner with an IdNat_PS) on each
 * DocumentReference and as the SubmissionSet's source, context.period.start, attachment.title and language fr-FR;
 * Folders keep one designationType (PDSm ..1). Nothing else is repaired: a real defect of an example (FHIR
 * document instead of a Binary, 'appends', literal authors, duplicate masterIdentifiers, folder PUT) stays.
 */
export function frenchify(example: Record<string, unknown>, patient: string): Record<string, unknown> {
  const bundle = structuredClone(example);
  const entries = (Array.isArray(bundle.entry) ? bundle.entry : []).map(asObj).filter((e): e is Json => e !== undefined);
  const resources = entries.map((e) => asObj(e.resource)).filter((r): r is Json => r !== undefined);

  // The example's patient: the subject of its SubmissionSet (or of any List/DocumentReference).
  const originals = new Set<string>();
  for (const r of resources) {
    const ref = asObj(r.subject)?.reference;
    if ((r.resourceType === 'List' || r.resourceType === 'DocumentReference') && typeof ref === 'string') originals.add(ref);
  }
  walk(bundle, (o) => {
    if (typeof o.reference === 'string' && originals.has(o.reference)) o.reference = patient;
  });

  const binaries = new Map<string, Json>();
  for (const e of entries) {
    const r = asObj(e.resource);
    if (r?.resourceType === 'Binary' && typeof e.fullUrl === 'string') binaries.set(e.fullUrl, r);
  }

  for (const r of resources) {
    if (r.resourceType === 'DocumentReference') {
      const coding = asObj(asObj(r.type)?.coding && (asObj(r.type)!.coding as unknown[])[0]);
      const code = typeof coding?.code === 'string' ? coding.code : undefined;
      const known = typeCodeOf({ system: typeof coding?.system === 'string' ? coding.system : undefined, code });
      const typeCode = known ? known.code : code && TYPE_MAP[code] ? TYPE_MAP[code]! : DEFAULT_TYPE;
      if (r.type !== undefined) r.type = { coding: [typeCoding(typeCode)] };
      if (r.category !== undefined) r.category = [{ coding: [classCoding(typeByCode(typeCode)!.classCode)] }];
      if (Array.isArray(r.securityLabel)) {
        r.securityLabel = r.securityLabel.map((l) => {
          const c = asObj(asObj(l)?.coding && (asObj(l)!.coding as unknown[])[0]);
          const known = typeof c?.code === 'string' && ['N', 'R', 'V', 'MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'].includes(c.code);
          return { coding: [securityCoding(known ? (c!.code as string) : 'N')] };
        });
      }
      const contained = Array.isArray(r.contained) ? r.contained : (r.contained = []);
      if (!Array.isArray(r.author) || r.author.length === 0) {
        (contained as unknown[]).push(practitioner('fr-author', DEFAULT_ID_NAT));
        r.author = [{ reference: '#fr-author' }];
      }
      const context = asObj(r.context) ?? (r.context = {});
      const period = asObj((context as Json).period) ?? ((context as Json).period = {});
      if ((period as Json).start === undefined) (period as Json).start = r.date;
      for (const content of Array.isArray(r.content) ? r.content : []) {
        const attachment = asObj(asObj(content)?.attachment);
        if (!attachment) continue;
        attachment.title ??= 'Document';
        attachment.language = 'fr-FR';
        const format = asObj(asObj(content)!.format);
        if (format) {
          const known = typeof format.code === 'string' && formatCodeOf({ code: format.code });
          asObj(content)!.format = formatCoding(known ? (format.code as string) : formatOfMime(String(attachment.contentType ?? '')));
        }
        const binary = typeof attachment.url === 'string' ? binaries.get(attachment.url) : undefined;
        if (binary && typeof binary.data === 'string') {
          const bytes = Buffer.from(binary.data, 'base64');
          attachment.size = bytes.length;
          attachment.hash = sha1Base64(bytes);
        }
      }
    }
    if (r.resourceType === 'List') {
      const kind = (asObj(r.code)?.coding as Json[] | undefined)?.[0]?.code;
      const extensions = Array.isArray(r.extension) ? (r.extension as Json[]) : [];
      const designation = `${MHD}/StructureDefinition/ihe-designationType`;
      let seen = false;
      r.extension = extensions.flatMap((x) => {
        if (x.url !== designation) return [x];
        if (seen && kind === 'folder') return [];
        seen = true;
        return [{ url: designation, valueCodeableConcept: { coding: [{ system: TRE_R02, code: 'SA07', display: 'Cabinet individuel' }] } }];
      });
      if (kind === 'submissionset' && r.source === undefined) {
        const contained = Array.isArray(r.contained) ? r.contained : (r.contained = []);
        (contained as unknown[]).push(practitioner('fr-author', DEFAULT_ID_NAT));
        r.source = { reference: '#fr-author' };
      }
    }
  }
  return bundle;
}

// ---------------------------------------------------------------------------------------------------------------

/** Escapes a string for a PDF literal string, keeping printable ASCII only. */
function pdfString(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/([\\()])/g, '\\$1');
}

/**
 * A minimal valid PDF (one A4 page, Helvetica) of about `kb` kilobytes, written by hand so it is synchronous: the
 * content stream is padded with PDF comment lines. pdf-lib parses it.
 */
export function pdfBytes(text = 'Carnet', kb = 1): Buffer {
  const draw = `BT /F1 12 Tf 72 770 Td (${pdfString(text)}) Tj ET\n`;
  const objects = (stream: string): string[] => [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const build = (stream: string): Buffer => {
    let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
    const offsets: number[] = [];
    objects(stream).forEach((body, i) => {
      offsets.push(Buffer.byteLength(out, 'latin1'));
      out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    });
    const xref = Buffer.byteLength(out, 'latin1');
    out += `xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
    out += `trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(out, 'latin1');
  };
  const bare = build(draw);
  const missing = Math.max(0, Math.round(kb * 1024) - bare.length);
  if (missing === 0) return bare;
  const line = `%${'x'.repeat(78)}\n`;
  let padding = line.repeat(Math.floor(missing / line.length));
  const rest = missing - padding.length;
  if (rest >= 2) padding += `%${'x'.repeat(rest - 2)}\n`;
  return build(draw + padding);
}
