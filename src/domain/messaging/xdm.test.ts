import fc from 'fast-check';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { cdaDocument, metadataXml, pdfDocument, xdmPackage, type XdmDocumentSpec } from '../../../test/support/xdm.js';
import { cxValue, isXdmAttachment, readXdm, XDM_LIMITS } from './xdm.js';

const INS = '279035121518989';
const enc = new TextEncoder();

function refused(zip: Uint8Array): string {
  const r = readXdm(zip);
  if (r.ok) throw new Error('the package was accepted');
  return r.reason;
}

describe('readXdm', () => {
  it('reads the documents of an IHE_XDM.ZIP with their metadata and bytes', () => {
    const cda = cdaDocument({ ins: INS });
    const pdf = pdfDocument();
    const r = readXdm(xdmPackage({ patientIns: INS, documents: [cda, pdf] }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pkg.patientIds).toEqual([INS]);
    expect(r.pkg.entries.map(({ content: _c, ...e }) => e)).toEqual([
      {
        path: 'IHE_XDM/SUBSET01/DOC0001.XML',
        title: 'Compte rendu de consultation',
        mimeType: 'text/xml',
        typeCode: '11488-4',
        typeDisplay: 'Compte rendu de consultation',
        uniqueId: '1.2.250.1.999.1.1',
        date: '2025-03-14',
      },
      {
        path: 'IHE_XDM/SUBSET01/DOC0002.PDF',
        title: 'Compte rendu (PDF)',
        mimeType: 'application/pdf',
        typeCode: '11488-4',
        typeDisplay: 'Compte rendu de consultation',
        uniqueId: '1.2.250.1.999.1.2',
        date: '2025-03-14',
      },
    ]);
    expect(Buffer.from(r.pkg.entries[0]!.content).equals(Buffer.from(cda.content))).toBe(true);
    expect(Buffer.from(r.pkg.entries[1]!.content).toString('latin1')).toMatch(/^%PDF-1\.4/);
  });

  it('names every patient id of the metadata: the submission set and each document entry', () => {
    const other = '180017512345678';
    const r = readXdm(xdmPackage({ patientIns: INS, documents: [{ ...cdaDocument(), patientIns: other }] }));
    expect(r.ok && r.pkg.patientIds.sort()).toEqual([other, INS].sort());
  });

  it('finds the metadata and the documents without regard to case, in any subset folder', () => {
    const doc = { ...cdaDocument(), file: 'doc0001.xml' };
    const meta = metadataXml({ patientIns: INS, documents: [{ ...doc, file: 'DOC0001.XML' }] });
    const zip = zipSync({ ihe_xdm: { subset07: { 'metadata.xml': enc.encode(meta), 'doc0001.xml': doc.content } } });
    const r = readXdm(zip);
    expect(r.ok && r.pkg.entries.map((e) => e.path)).toEqual(['ihe_xdm/subset07/doc0001.xml']);
  });

  it('reads metadata with other namespace prefixes, or with a default namespace', () => {
    const meta = metadataXml({ patientIns: INS, documents: [cdaDocument()] });
    const other = meta.replaceAll('rim:', 'r:').replace('xmlns:rim=', 'xmlns:r=');
    const unprefixed = meta.replaceAll('rim:', '').replace('xmlns:rim=', 'xmlns=');
    for (const m of [other, unprefixed]) {
      const r = readXdm(xdmPackage({ patientIns: INS, documents: [cdaDocument()], metadata: m }));
      expect(r.ok && r.pkg.entries[0]?.typeCode).toBe('11488-4');
    }
  });

  it('reduces CX identifiers to their value', () => {
    expect(cxValue(`${INS}^^^&1.2.250.1.213.1.4.8&ISO`)).toBe(INS);
    expect(cxValue(' 123 ')).toBe('123');
  });

  it('refuses a zip without METADATA.XML', () => {
    expect(refused(zipSync({ 'IHE_XDM/SUBSET01/DOC0001.XML': enc.encode('<x/>') }))).toMatch(/METADATA\.XML/);
  });

  it('refuses malformed metadata, and metadata that is not a SubmitObjectsRequest', () => {
    expect(refused(xdmPackage({ patientIns: INS, documents: [cdaDocument()], metadata: '<lcm:SubmitObjectsRequest><rim:RegistryObjectList>' }))).toMatch(/not well-formed/);
    expect(refused(xdmPackage({ patientIns: INS, documents: [cdaDocument()], metadata: '<?xml version="1.0"?><html/>' }))).toMatch(/SubmitObjectsRequest/);
  });

  it('refuses DOCTYPE and entity declarations (entity expansion)', () => {
    const meta = `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaa">]>${metadataXml({ patientIns: INS, documents: [cdaDocument()] }).replace(/^<\?xml[^>]*>/, '')}`;
    expect(refused(xdmPackage({ patientIns: INS, documents: [cdaDocument()], metadata: meta }))).toMatch(/DOCTYPE/);
  });

  it('refuses a URI naming a file the package does not hold, or a path leaving IHE_XDM', () => {
    expect(refused(xdmPackage({ patientIns: INS, documents: [cdaDocument()], omitFiles: ['DOC0001.XML'] }))).toMatch(/DOC0001\.XML.*not in the package/);
    const escape = { ...cdaDocument(), file: '../../README.TXT' };
    expect(refused(xdmPackage({ patientIns: INS, documents: [escape], omitFiles: [escape.file] }))).toMatch(/not in the package/);
  });

  it(`refuses more than ${XDM_LIMITS.maxFiles} files`, () => {
    const extra = Object.fromEntries(Array.from({ length: XDM_LIMITS.maxFiles }, (_, i) => [`IHE_XDM/SUBSET01/X${i}.TXT`, enc.encode('x')]));
    expect(refused(xdmPackage({ patientIns: INS, documents: [cdaDocument()], extra }))).toMatch(/more than 50 files/);
  });

  it('refuses a package that inflates beyond 50 MB, before inflating it (zip bomb)', () => {
    const zeros = new Uint8Array(XDM_LIMITS.maxInflatedBytes + 1);
    const bomb = xdmPackage({ patientIns: INS, documents: [cdaDocument()], extra: { 'IHE_XDM/SUBSET01/ZEROS.BIN': zeros } });
    expect(bomb.length).toBeLessThan(200_000);
    expect(refused(bomb)).toMatch(/more than 50 MB/);
  });

  it('refuses a zip whose declared sizes lie: the inflated bytes never exceed what was declared', () => {
    const doc: XdmDocumentSpec = { ...cdaDocument(), content: new Uint8Array(1_000_000) };
    const zip = xdmPackage({ patientIns: INS, documents: [doc] });
    // rewrite the declared size of every entry to 10 bytes (local and central headers)
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let i = 0; i + 4 <= zip.length; i++) {
      const sig = view.getUint32(i, true);
      if (sig === 0x04034b50) view.setUint32(i + 22, 10, true);
      if (sig === 0x02014b50) view.setUint32(i + 24, 10, true);
    }
    const r = readXdm(zip);
    if (r.ok) for (const e of r.pkg.entries) expect(e.content.length).toBeLessThanOrEqual(10);
  });

  it('refuses what is not a zip', () => {
    expect(refused(enc.encode('PK not really'))).toMatch(/zip/);
    expect(refused(new Uint8Array(0))).toMatch(/zip/);
  });
});

describe('isXdmAttachment', () => {
  it('recognises IHE_XDM.ZIP by name or a zip by type', () => {
    expect(isXdmAttachment('IHE_XDM.ZIP', 'application/octet-stream')).toBe(true);
    expect(isXdmAttachment('ihe_xdm.zip', 'application/octet-stream')).toBe(true);
    expect(isXdmAttachment('scan.zip', 'application/zip')).toBe(true);
    expect(isXdmAttachment('cr.pdf', 'application/pdf')).toBe(false);
  });
});

describe('readXdm properties', () => {
  const printable = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && /^[\p{L}\p{N} .,'()-]+$/u.test(s));
  const entry = fc.record({
    title: printable,
    mimeType: fc.constantFrom('text/xml', 'application/pdf', 'text/plain', 'image/jpeg'),
    content: fc.uint8Array({ maxLength: 2000 }),
    typeCode: fc.option(fc.stringMatching(/^[0-9]{1,5}-[0-9]$/), { nil: undefined }),
    uniqueId: fc.option(fc.stringMatching(/^1\.2\.250(\.[0-9]{1,4}){1,4}$/), { nil: undefined }),
    date: fc.option(fc.date({ min: new Date('1950-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }), { nil: undefined }),
  });
  const ins = fc.stringMatching(/^[12][0-9]{14}$/);

  it('round-trips any set of documents', () => {
    fc.assert(
      fc.property(ins, fc.array(entry, { minLength: 1, maxLength: 8 }), (patient, list) => {
        const documents: XdmDocumentSpec[] = list.map((e, i) => ({
          file: `DOC${String(i + 1).padStart(4, '0')}.BIN`,
          mimeType: e.mimeType,
          title: e.title,
          content: e.content,
          ...(e.typeCode ? { typeCode: e.typeCode, typeDisplay: `Type ${e.typeCode}` } : {}),
          ...(e.uniqueId ? { uniqueId: e.uniqueId } : {}),
          ...(e.date ? { creationTime: e.date.toISOString().slice(0, 19).replace(/[-T:]/g, '') } : {}),
        }));
        const r = readXdm(xdmPackage({ patientIns: patient, documents }));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.pkg.patientIds).toEqual([patient]);
        expect(r.pkg.entries).toHaveLength(list.length);
        r.pkg.entries.forEach((got, i) => {
          const want = list[i]!;
          expect(got.path).toBe(`IHE_XDM/SUBSET01/${documents[i]!.file}`);
          expect(got.title).toBe(want.title);
          expect(got.mimeType).toBe(want.mimeType);
          expect(got.typeCode).toBe(want.typeCode);
          if (want.uniqueId) expect(got.uniqueId).toBe(want.uniqueId);
          if (want.date) expect(got.date).toBe(want.date.toISOString().slice(0, 10));
          expect(Buffer.from(got.content).equals(Buffer.from(want.content))).toBe(true);
        });
      }),
      { numRuns: 60 },
    );
  });

  it('never throws on garbage: random bytes, damaged packages, random metadata', () => {
    const good = xdmPackage({ patientIns: INS, documents: [cdaDocument(), pdfDocument()] });
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 4000 }),
          fc.array(fc.tuple(fc.nat(good.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 20 }).map((edits) => {
            const z = new Uint8Array(good);
            for (const [at, v] of edits) z[at] = v;
            return z;
          }),
          fc.string({ maxLength: 500 }).map((meta) => xdmPackage({ patientIns: INS, documents: [cdaDocument()], metadata: meta })),
          fc.nat(good.length).map((n) => good.slice(0, n)),
        ),
        (bytes) => {
          const r = readXdm(bytes);
          expect(typeof r.ok).toBe('boolean');
          if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
