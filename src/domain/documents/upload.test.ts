import fc from 'fast-check';
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { formatCodeOf } from './codes.js';
import { checkUpload, formatOfFileName, formatOfMimeType, sniffFormat, UPLOAD_FORMATS, UPLOAD_MAX_BYTES, type UploadFormat } from './upload.js';

const bytes = (...parts: Array<string | number[]>): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...Buffer.from(p, 'latin1')] : p)));

/** Tiny but well-formed headers of each format. */
const SAMPLES: Record<UploadFormat, Uint8Array> = {
  pdf: bytes('%PDF-1.4\n%', [0xe2, 0xe3, 0xcf, 0xd3], '\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'),
  txt: new Uint8Array(Buffer.from('Compte rendu de consultation\r\nTension : 12/8, poids 72 kg.\n\tÀ revoir dans 3 mois.\n', 'utf8')),
  rtf: bytes('{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Bonjour \\par }'),
  // SOI, APP0 JFIF segment.
  jpeg: bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF', [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  // Little-endian header, first IFD at offset 8, no entries.
  tiff: bytes([0x49, 0x49, 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
};

const NAMES: Record<UploadFormat, string> = { pdf: 'cr.pdf', txt: 'notes.txt', rtf: 'lettre.rtf', jpeg: 'photo.jpg', tiff: 'scan.tif' };

function upload(format: UploadFormat, head = SAMPLES[format]) {
  return checkUpload({ fileName: NAMES[format], mimeType: UPLOAD_FORMATS[format].mimeType, size: head.length, head });
}

describe('UPLOAD_FORMATS', () => {
  it('maps each format to its MIME type and a J60 format code', () => {
    expect(UPLOAD_FORMATS.pdf).toMatchObject({ mimeType: 'application/pdf', formatCode: 'urn:ihe:iti:xds-sd:pdf:2008' });
    expect(UPLOAD_FORMATS.txt).toMatchObject({ mimeType: 'text/plain', formatCode: 'urn:ihe:iti:xds-sd:text:2008' });
    expect(UPLOAD_FORMATS.rtf).toMatchObject({ mimeType: 'application/rtf', formatCode: 'urn:ihe:iti-fr:xds-sd:rtf:2010' });
    expect(UPLOAD_FORMATS.jpeg).toMatchObject({ mimeType: 'image/jpeg', formatCode: 'urn:ihe:iti-fr:xds-sd:jpeg:2010' });
    expect(UPLOAD_FORMATS.tiff).toMatchObject({ mimeType: 'image/tiff', formatCode: 'urn:ihe:iti-fr:xds-sd:tiff:2010' });
    for (const f of Object.values(UPLOAD_FORMATS)) expect(formatCodeOf({ code: f.formatCode })).toBeDefined();
    expect(Object.values(UPLOAD_FORMATS).flatMap((f) => f.extensions).sort()).toEqual(['.jpeg', '.jpg', '.pdf', '.rtf', '.tif', '.tiff', '.txt']);
  });
});

describe('sniffFormat', () => {
  it.each(Object.keys(SAMPLES) as UploadFormat[])('recognises %s', (format) => {
    expect(sniffFormat(SAMPLES[format])).toBe(format);
  });

  it('recognises big-endian TIFF, UTF-8 with BOM and Windows-1252 text', () => {
    expect(sniffFormat(bytes([0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08]))).toBe('tiff');
    expect(sniffFormat(bytes([0xef, 0xbb, 0xbf], 'Bonjour'))).toBe('txt');
    expect(sniffFormat(bytes('R', [0xe9], 'sultat : n', [0xe9], 'gatif ', [0x80, 0x92]))).toBe('txt'); // "Résultat : négatif €’"
  });

  it('accepts UTF-8 cut in the middle of a character at the end of the head', () => {
    const full = Buffer.from('Prise de sang à jeun', 'utf8');
    const cut = full.subarray(0, full.indexOf(0xc3) + 1);
    expect(sniffFormat(new Uint8Array(cut))).toBe('txt');
  });

  it('refuses other formats and binary content', () => {
    expect(sniffFormat(bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR'))).toBeUndefined();
    expect(sniffFormat(bytes('PK', [0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]))).toBeUndefined();
    expect(sniffFormat(bytes('MZ', [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]))).toBeUndefined();
    expect(sniffFormat(bytes('GIF89a', [0x01, 0x00, 0x01, 0x00]))).toBeUndefined();
    expect(sniffFormat(bytes([0xff, 0xfe], 'h', [0], 'i', [0]))).toBeUndefined(); // UTF-16
    expect(sniffFormat(bytes('text', [0x01, 0x02, 0x03]))).toBeUndefined(); // too many control characters
    expect(sniffFormat(new Uint8Array())).toBeUndefined();
  });

  it('needs the whole magic number', () => {
    expect(sniffFormat(bytes('%PD'))).toBe('txt');
    expect(sniffFormat(bytes([0xff, 0xd8]))).not.toBe('jpeg');
    expect(sniffFormat(bytes([0x49, 0x49, 0x2a]))).toBe('txt');
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (head) => {
        const f = sniffFormat(head);
        expect(f === undefined || Object.hasOwn(UPLOAD_FORMATS, f)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.option(fc.string()), fc.option(fc.string()), fc.integer({ min: -1, max: UPLOAD_MAX_BYTES + 1 }), (head, fileName, mimeType, size) => {
        const r = checkUpload({ fileName: fileName ?? undefined, mimeType: mimeType ?? undefined, size, head });
        expect(r.ok ? Object.hasOwn(UPLOAD_FORMATS, r.format) : /^upload\./.test(r.code)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('checkUpload', () => {
  it.each(Object.keys(SAMPLES) as UploadFormat[])('accepts a %s file', (format) => {
    expect(upload(format)).toEqual({ ok: true, format });
  });

  it('accepts a real PDF made with pdf-lib', async () => {
    const doc = await PDFDocument.create();
    doc.addPage().drawText('Compte rendu');
    const pdf = await doc.save();
    expect(sniffFormat(pdf.subarray(0, 1024))).toBe('pdf');
    expect(checkUpload({ fileName: 'compte-rendu.pdf', mimeType: 'application/pdf', size: pdf.length, head: pdf.subarray(0, 1024) })).toEqual({ ok: true, format: 'pdf' });
  });

  it('accepts the other names of a format, with either the MIME type or the extension alone', () => {
    const { jpeg, tiff, rtf, txt } = SAMPLES;
    expect(checkUpload({ fileName: 'photo.jpeg', size: jpeg.length, head: jpeg })).toEqual({ ok: true, format: 'jpeg' });
    expect(checkUpload({ fileName: 'scan.tiff', size: tiff.length, head: tiff })).toEqual({ ok: true, format: 'tiff' });
    expect(checkUpload({ mimeType: 'text/rtf', size: rtf.length, head: rtf })).toEqual({ ok: true, format: 'rtf' });
    expect(checkUpload({ fileName: 'notes', mimeType: 'text/plain; charset=utf-8', size: txt.length, head: txt })).toEqual({ ok: true, format: 'txt' });
    expect(checkUpload({ fileName: 'notes.txt', mimeType: 'application/octet-stream', size: txt.length, head: txt })).toEqual({ ok: true, format: 'txt' });
  });

  it('ignores the case of the extension and of the MIME type', () => {
    const { pdf, jpeg } = SAMPLES;
    expect(checkUpload({ fileName: 'CR.PDF', mimeType: 'Application/PDF', size: pdf.length, head: pdf })).toEqual({ ok: true, format: 'pdf' });
    expect(checkUpload({ fileName: 'IMG_0001.JPG', mimeType: 'IMAGE/JPEG', size: jpeg.length, head: jpeg })).toEqual({ ok: true, format: 'jpeg' });
    expect(formatOfFileName('C:\\Scans\\Ordonnance.TiF')).toBe('tiff');
    expect(formatOfMimeType(' Text/RTF ')).toBe('rtf');
  });

  it('refuses a PNG, a ZIP and an executable', () => {
    const png = bytes([0x89], 'PNG\r\n', [0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d], 'IHDR');
    const zip = bytes('PK', [0x03, 0x04, 0x14, 0x00, 0x00, 0x00, 0x08, 0x00]);
    const exe = bytes('MZ', [0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00]);
    expect(checkUpload({ fileName: 'photo.png', mimeType: 'image/png', size: png.length, head: png })).toMatchObject({ ok: false, code: 'upload.format' });
    expect(checkUpload({ fileName: 'docs.zip', size: zip.length, head: zip })).toMatchObject({ ok: false, code: 'upload.format' });
    expect(checkUpload({ fileName: 'setup.exe', mimeType: 'application/x-msdownload', size: exe.length, head: exe })).toMatchObject({ ok: false, code: 'upload.format' });
    // Disguised as accepted formats.
    expect(checkUpload({ fileName: 'photo.jpg', mimeType: 'image/jpeg', size: png.length, head: png })).toMatchObject({ ok: false, code: 'upload.mismatch' });
    expect(checkUpload({ fileName: 'cr.pdf', size: zip.length, head: zip })).toMatchObject({ ok: false, code: 'upload.mismatch' });
    expect(checkUpload({ fileName: 'notes.txt', mimeType: 'text/plain', size: exe.length, head: exe })).toMatchObject({ ok: false, code: 'upload.mismatch' });
  });

  it('refuses a ".pdf" that holds text, and other mismatches', () => {
    const { txt, pdf, rtf } = SAMPLES;
    const r = checkUpload({ fileName: 'cr.pdf', mimeType: 'application/pdf', size: txt.length, head: txt });
    expect(r).toMatchObject({ ok: false, code: 'upload.mismatch' });
    expect(!r.ok && r.message).toMatch(/declared as PDF but its content is a plain text file/);
    expect(checkUpload({ fileName: 'notes.txt', size: pdf.length, head: pdf })).toMatchObject({ ok: false, code: 'upload.mismatch' });
    expect(checkUpload({ fileName: 'notes.txt', size: rtf.length, head: rtf })).toMatchObject({ ok: false, code: 'upload.mismatch' });
    // The name and the MIME type disagree.
    expect(checkUpload({ fileName: 'cr.pdf', mimeType: 'image/jpeg', size: pdf.length, head: pdf })).toMatchObject({ ok: false, code: 'upload.mismatch' });
  });

  it('needs a declared type', () => {
    const { pdf } = SAMPLES;
    expect(checkUpload({ size: pdf.length, head: pdf })).toMatchObject({ ok: false, code: 'upload.format' });
    expect(checkUpload({ fileName: 'compte rendu', mimeType: 'application/octet-stream', size: pdf.length, head: pdf })).toMatchObject({ ok: false, code: 'upload.format' });
  });

  it('accepts 5 MB and refuses 5 MB + 1 byte', () => {
    const { pdf } = SAMPLES;
    expect(UPLOAD_MAX_BYTES).toBe(5_242_880);
    expect(checkUpload({ fileName: 'cr.pdf', size: UPLOAD_MAX_BYTES, head: pdf })).toEqual({ ok: true, format: 'pdf' });
    const r = checkUpload({ fileName: 'cr.pdf', size: UPLOAD_MAX_BYTES + 1, head: pdf });
    expect(r).toMatchObject({ ok: false, code: 'upload.too-large' });
    expect(!r.ok && r.message).toMatch(/5 MB/);
  });

  it('refuses an empty file', () => {
    expect(checkUpload({ fileName: 'cr.pdf', size: 0, head: new Uint8Array() })).toMatchObject({ ok: false, code: 'upload.empty' });
    expect(checkUpload({ fileName: 'notes.txt', mimeType: 'text/plain', size: 0, head: new Uint8Array() })).toMatchObject({ ok: false, code: 'upload.empty' });
    expect(checkUpload({ fileName: 'cr.pdf', size: Number.NaN, head: SAMPLES.pdf })).toMatchObject({ ok: false, code: 'upload.empty' });
  });
});
