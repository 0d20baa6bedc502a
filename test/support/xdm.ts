import { zipSync, type Zippable } from 'fflate';

/**
 * Builds IHE XDM packages (ITI TF-1 §16, ITI TF-3 §4.2 metadata) for tests: `IHE_XDM.ZIP` with
 * `INDEX.HTM`, `README.TXT` and `IHE_XDM/SUBSET01/METADATA.XML` (an ebRIM 3.0 SubmitObjectsRequest with a
 * submission set, one XDSDocumentEntry per document and their HasMember associations), the documents beside it.
 *
 *   const zip = xdmPackage({ patientIns: '279035121518989', documents: [cdaDocument(), pdfDocument()] });
 */

export const INS_OID = '1.2.250.1.213.1.4.8';
const LOINC = '2.16.840.1.113883.6.1';

export interface XdmDocumentSpec {
  /** The file name in the subset folder (the URI slot), e.g. DOC0001.XML. */
  file: string;
  mimeType: string;
  title: string;
  content: Uint8Array;
  typeCode?: string;
  typeDisplay?: string;
  uniqueId?: string;
  /** HL7 DTM, e.g. 20250314093000. */
  creationTime?: string;
  /** The document entry's patient when it differs from the submission set's. */
  patientIns?: string;
}

export interface XdmPackageSpec {
  /** The matricule INS of the submission set (and of every document that names none). */
  patientIns: string;
  documents: XdmDocumentSpec[];
  /** SUBSET01 by default. */
  subset?: string;
  /** Replaces METADATA.XML (to test broken metadata). */
  metadata?: string;
  /** More files put in the zip as they are (path → bytes). */
  extra?: Record<string, Uint8Array>;
  /** Leave out these documents' files (to test a URI naming a missing file). */
  omitFiles?: string[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const cx = (ins: string) => `${ins}^^^&${INS_OID}&ISO`;

const slot = (name: string, ...values: string[]) =>
  `<rim:Slot name="${name}"><rim:ValueList>${values.map((v) => `<rim:Value>${esc(v)}</rim:Value>`).join('')}</rim:ValueList></rim:Slot>`;
const named = (value: string) => `<rim:Name><rim:LocalizedString xml:lang="fr-FR" charset="UTF-8" value="${esc(value)}"/></rim:Name>`;

/** METADATA.XML for a package (ITI TF-3 §4.2.3, ebRIM 3.0 with the rim: and lcm: prefixes). */
export function metadataXml(spec: XdmPackageSpec): string {
  const set = 'urn:uuid:00000000-0000-4000-8000-000000000001';
  const docs = spec.documents.map((d, i) => {
    const id = `urn:uuid:00000000-0000-4000-8000-${String(100 + i).padStart(12, '0')}`;
    const classes = d.typeCode
      ? `<rim:Classification id="urn:uuid:00000000-0000-4000-8001-${String(100 + i).padStart(12, '0')}" classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" classifiedObject="${id}" nodeRepresentation="${esc(d.typeCode)}">${slot('codingScheme', LOINC)}${named(d.typeDisplay ?? d.typeCode)}</rim:Classification>`
      : '';
    return `
    <rim:ExtrinsicObject id="${id}" mimeType="${esc(d.mimeType)}" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1" status="urn:oasis:names:tc:ebxml-regrep:StatusType:Approved">
      ${slot('creationTime', d.creationTime ?? '20250314093000')}
      ${slot('languageCode', 'fr-FR')}
      ${slot('size', String(d.content.length))}
      ${slot('sourcePatientId', cx(d.patientIns ?? spec.patientIns))}
      ${slot('URI', d.file)}
      ${named(d.title)}
      ${classes}
      <rim:Classification id="urn:uuid:00000000-0000-4000-8002-${String(100 + i).padStart(12, '0')}" classificationScheme="urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a" classifiedObject="${id}" nodeRepresentation="10">${slot('codingScheme', '1.2.250.1.213.1.1.4.1')}${named('Compte rendu')}</rim:Classification>
      <rim:ExternalIdentifier id="urn:uuid:00000000-0000-4000-8003-${String(100 + i).padStart(12, '0')}" identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" registryObject="${id}" value="${esc(cx(d.patientIns ?? spec.patientIns))}">${named('XDSDocumentEntry.patientId')}</rim:ExternalIdentifier>
      <rim:ExternalIdentifier id="urn:uuid:00000000-0000-4000-8004-${String(100 + i).padStart(12, '0')}" identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" registryObject="${id}" value="${esc(d.uniqueId ?? `1.2.250.1.999.1.${i + 1}`)}">${named('XDSDocumentEntry.uniqueId')}</rim:ExternalIdentifier>
    </rim:ExtrinsicObject>
    <rim:Association id="urn:uuid:00000000-0000-4000-8005-${String(100 + i).padStart(12, '0')}" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="${set}" targetObject="${id}">${slot('SubmissionSetStatus', 'Original')}</rim:Association>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <rim:RegistryObjectList>
    <rim:RegistryPackage id="${set}" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage">
      ${slot('submissionTime', '20250314093500')}
      ${named('Envoi de documents')}
      <rim:ExternalIdentifier id="urn:uuid:00000000-0000-4000-8006-000000000001" identificationScheme="urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8" registryObject="${set}" value="1.2.250.1.999.2.1">${named('XDSSubmissionSet.uniqueId')}</rim:ExternalIdentifier>
      <rim:ExternalIdentifier id="urn:uuid:00000000-0000-4000-8006-000000000002" identificationScheme="urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832" registryObject="${set}" value="1.2.250.1.999">${named('XDSSubmissionSet.sourceId')}</rim:ExternalIdentifier>
      <rim:ExternalIdentifier id="urn:uuid:00000000-0000-4000-8006-000000000003" identificationScheme="urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446" registryObject="${set}" value="${esc(cx(spec.patientIns))}">${named('XDSSubmissionSet.patientId')}</rim:ExternalIdentifier>
    </rim:RegistryPackage>
    <rim:Classification id="urn:uuid:00000000-0000-4000-8007-000000000001" classifiedObject="${set}" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"/>${docs.join('')}
  </rim:RegistryObjectList>
</lcm:SubmitObjectsRequest>
`;
}

/** The bytes of an IHE_XDM.ZIP. */
export function xdmPackage(spec: XdmPackageSpec): Uint8Array {
  const subset = spec.subset ?? 'SUBSET01';
  const enc = new TextEncoder();
  const folder: Zippable = { 'METADATA.XML': enc.encode(spec.metadata ?? metadataXml(spec)) };
  for (const d of spec.documents) if (!spec.omitFiles?.includes(d.file)) folder[d.file] = d.content;
  const files: Zippable = {
    'INDEX.HTM': enc.encode('<html><body><p>Documents de santé (IHE XDM)</p></body></html>'),
    'README.TXT': enc.encode('IHE XDM package made by the Carnet tests.\r\n'),
    IHE_XDM: { [subset]: folder },
    ...spec.extra,
  };
  return zipSync(files, { level: 6 });
}

/** A small CDA R2 level 1 document (a structured header and a non-XML body). */
export function cdaDocument(o: { ins?: string; typeCode?: string; file?: string } = {}): XdmDocumentSpec {
  const ins = o.ins ?? '279035121518989';
  const typeCode = o.typeCode ?? '11488-4';
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3">
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <id root="1.2.250.1.999.1.1"/>
  <code code="${typeCode}" codeSystem="${LOINC}" displayName="Compte rendu de consultation"/>
  <title>Compte rendu de consultation</title>
  <effectiveTime value="20250314093000+0100"/>
  <confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>
  <recordTarget><patientRole><id root="${INS_OID}" extension="${ins}"/></patientRole></recordTarget>
  <component><nonXMLBody><text mediaType="application/pdf" representation="B64">JVBERi0xLjQK</text></nonXMLBody></component>
</ClinicalDocument>
`;
  return {
    file: o.file ?? 'DOC0001.XML',
    mimeType: 'text/xml',
    title: 'Compte rendu de consultation',
    content: new TextEncoder().encode(xml),
    typeCode,
    typeDisplay: 'Compte rendu de consultation',
    uniqueId: '1.2.250.1.999.1.1',
    creationTime: '20250314093000',
  };
}

/** A tiny PDF document. */
export function pdfDocument(o: { file?: string; title?: string } = {}): XdmDocumentSpec {
  const pdf = '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n';
  return {
    file: o.file ?? 'DOC0002.PDF',
    mimeType: 'application/pdf',
    title: o.title ?? 'Compte rendu (PDF)',
    content: new TextEncoder().encode(pdf),
    typeCode: '11488-4',
    typeDisplay: 'Compte rendu de consultation',
    uniqueId: '1.2.250.1.999.1.2',
    creationTime: '20250314',
  };
}
