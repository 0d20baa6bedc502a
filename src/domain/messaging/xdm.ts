import { unzipSync, type UnzipFileInfo } from 'fflate';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * IHE XDM (ITI TF-1 §16, domain.md §3.5): a zip `IHE_XDM.ZIP` holding `IHE_XDM/SUBSETnn/METADATA.XML`
 * (an ebRIM SubmitObjectsRequest) and the documents it describes. Pure: bytes in, the package out.
 */

/** A document of an IHE XDM package, as METADATA.XML describes it. */
export interface XdmEntry {
  /** The file's path in the zip (the ExtrinsicObject's URI slot, under the submission set's folder). */
  path: string;
  title: string;
  mimeType: string;
  /** The document's type code (LOINC), when the metadata gives one. */
  typeCode?: string;
  typeDisplay?: string;
  /** The uniqueId of the document entry. */
  uniqueId?: string;
  /** The creation time, YYYY-MM-DD, when given. */
  date?: string;
}

export interface XdmPackage {
  /**
   * The patient ids the metadata names (XDSDocumentEntry.patientId and XDSSubmissionSet.patientId), as
   * `value^^^&oid&ISO` CX strings reduced to their value: the matricule INS.
   */
  patientIds: string[];
  entries: (XdmEntry & { content: Uint8Array })[];
}

export type XdmResult = { ok: true; pkg: XdmPackage } | { ok: false; reason: string };

/** Whether an attachment looks like an XDM package (by name or type); readXdm decides. */
export function isXdmAttachment(filename: string | undefined, contentType: string): boolean {
  return /(^|\/)IHE_XDM\.ZIP$/i.test(filename ?? '') || /^application\/(x-)?zip/i.test(contentType);
}

/** What a package may hold: more files or more bytes once inflated is refused (zip bombs). */
export const XDM_LIMITS = {
  maxFiles: 50,
  maxInflatedBytes: 50 * 1024 * 1024,
  /** A METADATA.XML larger than this is not metadata. */
  maxMetadataBytes: 5 * 1024 * 1024,
} as const;

/** The ebRIM identifiers of ITI TF-3 §4.2.5 that XDM metadata uses. */
export const XDS = {
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  entryPatientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  entryUniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  setPatientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  setUniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  setSourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  entryObjectType: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  submissionSetNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
} as const;

const METADATA = /^(?:.*\/)?IHE_XDM\/([^/]+)\/METADATA\.XML$/i;

class Refused extends Error {}

type Node = Record<string, unknown>;

const list = (v: unknown): Node[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as Node[]) : [v as Node]);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object' && '#text' in v) return text((v as Node)['#text']);
  return undefined;
};
const attr = (n: Node, name: string): string | undefined => text(n[`@_${name}`]);

function slotValues(n: Node, name: string): string[] {
  const slot = list(n.Slot).find((s) => attr(s, 'name') === name);
  if (!slot) return [];
  return list(slot.ValueList).flatMap((vl) => (Array.isArray(vl.Value) ? vl.Value : vl.Value === undefined ? [] : [vl.Value])).map(text).filter((x): x is string => x !== undefined);
}

function nameOf(n: Node): string | undefined {
  for (const name of list(n.Name)) {
    const s = list(name.LocalizedString)[0];
    const value = s ? attr(s, 'value') : undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}

function externalId(n: Node, scheme: string): string | undefined {
  const e = list(n.ExternalIdentifier).find((x) => attr(x, 'identificationScheme')?.toLowerCase() === scheme);
  return e ? attr(e, 'value') : undefined;
}

/** `279035121518989^^^&1.2.250.1.213.1.4.8&ISO` → `279035121518989`. */
export function cxValue(cx: string): string {
  return cx.split('^')[0]!.trim();
}

/** HL7 DTM `YYYYMMDD[HHMM[SS]]` → `YYYY-MM-DD`, or undefined when it is not one. */
function dateOf(dtm: string | undefined): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})/.exec(dtm?.trim() ?? '');
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  return date.getUTCMonth() === Number(mo) - 1 && date.getUTCDate() === Number(d) ? `${y}-${mo}-${d}` : undefined;
}

/** A URI relative to the submission set's folder, resolved to a path in the zip; undefined when it leaves it. */
function resolvePath(folder: string, uri: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith('/') || uri.includes('\\')) return undefined;
  const parts = folder.split('/').filter(Boolean);
  const base = parts.length;
  for (const seg of uri.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length <= base - 1) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  // XDM documents stay under IHE_XDM/ (a sibling subset folder is allowed, the zip's root is not)
  return parts.length >= base ? parts.join('/') : undefined;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
});

function parseMetadata(xml: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new Refused('METADATA.XML must not declare a DOCTYPE or entities');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Refused(`METADATA.XML is not well-formed XML: ${valid.err.msg} (line ${valid.err.line})`);
  const doc = parser.parse(xml) as Node;
  const root = doc.SubmitObjectsRequest as Node | undefined;
  if (!root || typeof root !== 'object') throw new Refused('METADATA.XML is not an ebRIM SubmitObjectsRequest');
  const objects = list(root.RegistryObjectList)[0];
  if (!objects) throw new Refused('METADATA.XML has no RegistryObjectList');
  return objects;
}

/** Unzips with the limits checked on the sizes the zip declares before anything is inflated. */
function unzip(zip: Uint8Array): Map<string, { name: string; bytes: Uint8Array }> {
  let files = 0;
  let declared = 0;
  const filter = (f: UnzipFileInfo): boolean => {
    if (f.name.endsWith('/')) return false; // a folder
    files++;
    if (files > XDM_LIMITS.maxFiles) throw new Refused(`the package holds more than ${XDM_LIMITS.maxFiles} files`);
    // a stored entry's bytes are its compressed size; an inflated one is bounded by its declared size
    declared += Math.max(f.originalSize, f.compression === 0 ? f.size : 0);
    if (declared > XDM_LIMITS.maxInflatedBytes) throw new Refused(`the package inflates to more than ${XDM_LIMITS.maxInflatedBytes / 1024 / 1024} MB`);
    return true;
  };
  let out: Record<string, Uint8Array>;
  try {
    out = unzipSync(zip, { filter });
  } catch (err) {
    if (err instanceof Refused) throw err;
    throw new Refused(`not a readable zip (${(err as Error).message})`);
  }
  const byPath = new Map<string, { name: string; bytes: Uint8Array }>();
  for (const [name, bytes] of Object.entries(out)) byPath.set(name.replace(/^\.\//, '').toLowerCase(), { name, bytes });
  return byPath;
}

function read(zip: Uint8Array): XdmPackage {
  const files = unzip(zip);
  const metadata = [...files.values()].filter((f) => METADATA.test(f.name)).sort((a, b) => a.name.localeCompare(b.name));
  if (metadata.length === 0) throw new Refused('no IHE_XDM/SUBSETnn/METADATA.XML in the package');
  const patientIds: string[] = [];
  const entries: XdmPackage['entries'] = [];
  const addPatient = (cx: string | undefined) => {
    const v = cx ? cxValue(cx) : '';
    if (v && !patientIds.includes(v)) patientIds.push(v);
  };
  for (const m of metadata) {
    if (m.bytes.length > XDM_LIMITS.maxMetadataBytes) throw new Refused(`${m.name} is too large`);
    let xml: string;
    try {
      xml = new TextDecoder('utf-8', { fatal: true }).decode(m.bytes).replace(/^\uFEFF/, '');
    } catch {
      throw new Refused(`${m.name} is not UTF-8 text`);
    }
    const objects = parseMetadata(xml);
    const folder = m.name.slice(0, m.name.lastIndexOf('/'));
    for (const set of list(objects.RegistryPackage)) addPatient(externalId(set, XDS.setPatientId));
    for (const doc of list(objects.ExtrinsicObject)) {
      const uri = slotValues(doc, 'URI')[0];
      if (!uri) throw new Refused(`the document ${attr(doc, 'id') ?? ''} has no URI slot`.replace('  ', ' '));
      const path = resolvePath(folder, uri);
      const file = path ? files.get(path.toLowerCase()) : undefined;
      if (!path || !file) throw new Refused(`the document ${JSON.stringify(uri.slice(0, 200))} named by ${m.name} is not in the package`);
      const type = list(doc.Classification).find((c) => attr(c, 'classificationScheme')?.toLowerCase() === XDS.typeCode);
      const typeCode = type ? attr(type, 'nodeRepresentation') : undefined;
      const typeDisplay = type ? nameOf(type) : undefined;
      const uniqueId = externalId(doc, XDS.entryUniqueId);
      const date = dateOf(slotValues(doc, 'creationTime')[0]);
      addPatient(externalId(doc, XDS.entryPatientId));
      entries.push({
        path: file.name,
        title: nameOf(doc) ?? file.name.slice(file.name.lastIndexOf('/') + 1),
        mimeType: attr(doc, 'mimeType') ?? 'application/octet-stream',
        ...(typeCode ? { typeCode } : {}),
        ...(typeDisplay ? { typeDisplay } : {}),
        ...(uniqueId ? { uniqueId } : {}),
        ...(date ? { date } : {}),
        content: file.bytes,
      });
    }
  }
  return { patientIds, entries };
}

/**
 * Reads an IHE XDM package: the documents every `IHE_XDM/SUBSETnn/METADATA.XML` describes (paths compared
 * without case), with their bytes, and the patient ids of the metadata. A package that is not a zip, has no
 * metadata, malformed metadata, a document missing from the zip, more than 50 files or more than 50 MB once
 * inflated is refused with the reason. Never throws.
 */
export function readXdm(zip: Uint8Array): XdmResult {
  try {
    return { ok: true, pkg: read(zip) };
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.message };
    return { ok: false, reason: `the package cannot be read (${String((err as Error)?.message ?? err).slice(0, 200)})` };
  }
}
