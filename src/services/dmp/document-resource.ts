import { categoryOf, classCodeOf, securityCodeOf, typeCodeOf, visibilityCoding, type Category, type SecurityCode, type Visibility } from '../../domain/documents/codes.js';

/**
 * Reading and writing the parts of a DocumentReference that Carnet itself manages: who deposited it, where its
 * bytes are, its visibility codes and its archived flag. Everything else is as the producer wrote it.
 */

type Json = Record<string, unknown>;

/** Who deposited the document (Practitioner, Organization or Patient reference); see the depositor SearchParameter. */
export const DEPOSITOR_URL = 'https://carnet.example/fhir/StructureDefinition/depositor';
/** On content[0].attachment: the SHA-256 (hex) that names the bytes in the BlobStore. */
export const BLOB_URL = 'https://carnet.example/fhir/StructureDefinition/blob-sha256';
/** The PDSm archived flag (DocumentReference and List). */
export const IS_ARCHIVED_URL = 'https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived';

function extensions(r: Json): Json[] {
  return Array.isArray(r.extension) ? (r.extension as Json[]) : [];
}

export function depositorsOf(doc: Json): string[] {
  return extensions(doc)
    .filter((e) => e.url === DEPOSITOR_URL)
    .map((e) => (e.valueReference as Json | undefined)?.reference)
    .filter((r): r is string => typeof r === 'string');
}

/** The document with these depositors, whatever the client wrote in their place. */
export function withDepositors(doc: Json, references: readonly string[]): Json {
  const others = extensions(doc).filter((e) => e.url !== DEPOSITOR_URL);
  return { ...doc, extension: [...others, ...references.map((reference) => ({ url: DEPOSITOR_URL, valueReference: { reference } }))] };
}

export function attachmentOf(doc: Json): Json | undefined {
  const content = Array.isArray(doc.content) ? (doc.content as Json[]) : [];
  return content[0]?.attachment as Json | undefined;
}

export function blobKeyOf(doc: Json): string | undefined {
  const att = attachmentOf(doc);
  const ext = Array.isArray(att?.extension) ? (att.extension as Json[]).find((e) => e.url === BLOB_URL) : undefined;
  return typeof ext?.valueString === 'string' ? ext.valueString : undefined;
}

/** The document whose first content names these bytes: the BlobStore key, and the URL they are retrieved at. */
export function withBlob(doc: Json, key: string, url: string): Json {
  const content = [...(doc.content as Json[])];
  const att = { ...(content[0]!.attachment as Json) };
  delete att.data;
  const others = Array.isArray(att.extension) ? (att.extension as Json[]).filter((e) => e.url !== BLOB_URL) : [];
  content[0] = { ...content[0], attachment: { ...att, url, extension: [...others, { url: BLOB_URL, valueString: key }] } };
  return { ...doc, content };
}

function codings(value: unknown): Json[] {
  return value && typeof value === 'object' && Array.isArray((value as Json).coding) ? ((value as Json).coding as Json[]) : [];
}

export function securityCodesOf(doc: Json): SecurityCode[] {
  const labels = Array.isArray(doc.securityLabel) ? doc.securityLabel : [];
  return labels.flatMap((l) => codings(l).map((c) => securityCodeOf(c as { system?: string; code?: string })).filter((c): c is SecurityCode => c !== undefined));
}

export function hasVisibility(doc: Json, code: Visibility): boolean {
  return securityCodesOf(doc).includes(code);
}

/** The document with a visibility code set or removed (other labels kept). */
export function withVisibility(doc: Json, code: Visibility, on: boolean): Json {
  const labels = (Array.isArray(doc.securityLabel) ? (doc.securityLabel as Json[]) : []).filter((l) => !codings(l).some((c) => c.code === code));
  return { ...doc, securityLabel: on ? [...labels, { coding: [visibilityCoding(code)] }] : labels };
}

/**
 * Whether the profile may be told of this document: not while it is held back from the patient, and never when
 * it is hidden from the minor's representatives (the notification centre of a profile is read by them too).
 */
export function announceable(doc: Json): boolean {
  return !hasVisibility(doc, 'INVISIBLE_PATIENT') && !hasVisibility(doc, 'INVISIBLE_REPRESENTANTS_LEGAUX');
}

/** The document with the PDSm archived flag set or removed. */
export function withArchived(doc: Json, archived: boolean): Json {
  const others = extensions(doc).filter((e) => e.url !== IS_ARCHIVED_URL);
  return { ...doc, extension: [...others, ...(archived ? [{ url: IS_ARCHIVED_URL, valueBoolean: true }] : [])] };
}

export function isArchived(doc: Json): boolean {
  return extensions(doc).some((e) => e.url === IS_ARCHIVED_URL && e.valueBoolean === true);
}

export function typeCodeOfDoc(doc: Json): string | undefined {
  for (const c of codings(doc.type)) {
    const row = typeCodeOf(c as { system?: string; code?: string });
    if (row) return row.code;
  }
  return codings(doc.type)[0]?.code as string | undefined;
}

export function classCodeOfDoc(doc: Json): string | undefined {
  const category = Array.isArray(doc.category) ? doc.category : [];
  for (const cat of category) for (const c of codings(cat)) if (classCodeOf(c as { system?: string; code?: string })) return c.code as string;
  return undefined;
}

export function categoryOfDoc(doc: Json): Category {
  return categoryOf(typeCodeOfDoc(doc), classCodeOfDoc(doc));
}
