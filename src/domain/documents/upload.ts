/**
 * The documents a patient uploads (domain.md §2.7): PDF, TXT, RTF, JPEG or TIFF, at most 5 MB, as in the Mon
 * espace santé app (`.pdf .txt .rtf .jpg .jpeg .tiff .tif`). The declared type (MIME type and/or file name
 * extension) must name one of these formats and the first bytes of the content must show the same format: a
 * ".pdf" that holds anything else is refused. Each format maps to the J60 format code of an unstructured
 * CDA body (domain.md §2.5).
 */

export type UploadFormat = 'pdf' | 'txt' | 'rtf' | 'jpeg' | 'tiff';

export const UPLOAD_MAX_BYTES = 5 * 1024 * 1024;

/** MIME type (what Carnet stores and serves), J60 format code and file name extensions of each format. */
export const UPLOAD_FORMATS: Record<UploadFormat, { mimeType: string; formatCode: string; extensions: readonly string[] }> = {
  pdf: { mimeType: 'application/pdf', formatCode: 'urn:ihe:iti:xds-sd:pdf:2008', extensions: ['.pdf'] },
  txt: { mimeType: 'text/plain', formatCode: 'urn:ihe:iti:xds-sd:text:2008', extensions: ['.txt'] },
  rtf: { mimeType: 'application/rtf', formatCode: 'urn:ihe:iti-fr:xds-sd:rtf:2010', extensions: ['.rtf'] },
  jpeg: { mimeType: 'image/jpeg', formatCode: 'urn:ihe:iti-fr:xds-sd:jpeg:2010', extensions: ['.jpg', '.jpeg'] },
  tiff: { mimeType: 'image/tiff', formatCode: 'urn:ihe:iti-fr:xds-sd:tiff:2010', extensions: ['.tif', '.tiff'] },
};

const FORMAT_NAMES: Record<UploadFormat, string> = { pdf: 'PDF', txt: 'plain text', rtf: 'RTF', jpeg: 'JPEG', tiff: 'TIFF' };
const ACCEPTED = 'PDF, TXT, RTF, JPEG or TIFF';

/** Other MIME types accepted on input for a format. */
const MIME_ALIASES: Record<string, UploadFormat> = { 'text/rtf': 'rtf' };

/** MIME types that say nothing about the content: the file name decides. */
const UNINFORMATIVE_MIME = new Set(['', 'application/octet-stream']);

const FORMAT_OF_MIME = new Map<string, UploadFormat>([
  ...(Object.entries(UPLOAD_FORMATS) as [UploadFormat, (typeof UPLOAD_FORMATS)[UploadFormat]][]).map(([f, v]) => [v.mimeType, f] as const),
  ...Object.entries(MIME_ALIASES),
]);
const FORMAT_OF_EXTENSION = new Map<string, UploadFormat>(
  (Object.entries(UPLOAD_FORMATS) as [UploadFormat, (typeof UPLOAD_FORMATS)[UploadFormat]][]).flatMap(([f, v]) => v.extensions.map((e) => [e, f] as const)),
);

/** A MIME type without parameters, lower case; undefined when absent or uninformative (application/octet-stream). */
function mimeOf(mimeType: string | undefined): string | undefined {
  if (mimeType === undefined) return undefined;
  const bare = mimeType.split(';')[0]!.trim().toLowerCase();
  return UNINFORMATIVE_MIME.has(bare) ? undefined : bare;
}

/** The extension of a file name ('.pdf'), lower case, or undefined when the name has none. */
function extensionOf(fileName: string | undefined): string | undefined {
  if (!fileName) return undefined;
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const m = /\.([A-Za-z0-9]{1,10})$/.exec(base);
  return m ? `.${m[1]!.toLowerCase()}` : undefined;
}

/** The format a MIME type names (parameters and case ignored), or undefined. */
export function formatOfMimeType(mimeType: string): UploadFormat | undefined {
  const bare = mimeOf(mimeType);
  return bare === undefined ? undefined : FORMAT_OF_MIME.get(bare);
}

/** The format a file name's extension names (case ignored), or undefined. */
export function formatOfFileName(fileName: string): UploadFormat | undefined {
  const ext = extensionOf(fileName);
  return ext === undefined ? undefined : FORMAT_OF_EXTENSION.get(ext);
}

function startsWith(head: Uint8Array, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

const ascii = (s: string): number[] => [...s].map((c) => c.charCodeAt(0));
const PDF_MAGIC = ascii('%PDF-');
const RTF_MAGIC = ascii('{\\rtf');
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const TIFF_LE = [0x49, 0x49, 0x2a, 0x00];
const TIFF_BE = [0x4d, 0x4d, 0x00, 0x2a];

/** Control characters that plain text may hold: tab, line feed, vertical tab, form feed, carriage return. */
function isTextControl(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0b || c === 0x0c || c === 0x0d;
}

/** Whether a character (code point or Windows-1252 byte) counts as a control character in text. */
function isStrayControl(c: number): boolean {
  return (c < 0x20 && !isTextControl(c)) || c === 0x7f;
}

/** At most one control character in a hundred. */
const fewControls = (controls: number, total: number): boolean => controls * 100 <= total;

/** UTF-8 text (a sequence cut at the end of the head is fine), with no NUL and few control characters. */
function isUtf8Text(head: Uint8Array): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
  } catch {
    return false;
  }
  let controls = 0;
  let total = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (c === 0) return false;
    if (isStrayControl(c) || (c >= 0x80 && c <= 0x9f)) controls++;
    total++;
  }
  return total > 0 && fewControls(controls, total);
}

/** Bytes that Windows-1252 leaves undefined. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

/** Latin-1 / Windows-1252 text (older French text files), with no NUL and few control characters. */
function isLatin1Text(head: Uint8Array): boolean {
  let controls = 0;
  for (const b of head) {
    if (b === 0) return false;
    if (isStrayControl(b) || CP1252_UNDEFINED.has(b)) controls++;
  }
  return head.length > 0 && fewControls(controls, head.length);
}

/**
 * The format the first bytes show, or undefined. Magic numbers: `%PDF-`, `{\rtf`, FF D8 FF (JPEG), `II*\0` or
 * `MM\0*` (TIFF). Otherwise text: valid UTF-8 (with or without BOM) or else Windows-1252, with no NUL and at most
 * one control character (other than tab, line breaks and form feed) per hundred characters.
 */
export function sniffFormat(head: Uint8Array): UploadFormat | undefined {
  if (startsWith(head, PDF_MAGIC)) return 'pdf';
  if (startsWith(head, RTF_MAGIC)) return 'rtf';
  if (startsWith(head, JPEG_MAGIC)) return 'jpeg';
  if (startsWith(head, TIFF_LE) || startsWith(head, TIFF_BE)) return 'tiff';
  if (isUtf8Text(head) || isLatin1Text(head)) return 'txt';
  return undefined;
}

export type UploadProblemCode = 'upload.format' | 'upload.mismatch' | 'upload.too-large' | 'upload.empty';

export type UploadCheck = { ok: true; format: UploadFormat } | { ok: false; code: UploadProblemCode; message: string };

function problem(code: UploadProblemCode, message: string): UploadCheck {
  return { ok: false, code, message };
}

/**
 * Checks an upload: declared MIME type and/or file name extension must name an accepted format, the sniffed
 * content must agree with it, the size must be within the limit. Returns the format, or a problem with a stable
 * code ('upload.format' | 'upload.mismatch' | 'upload.too-large' | 'upload.empty') and an English message.
 * `application/octet-stream` counts as no MIME type (browsers send it for types they do not know); `head` is the
 * beginning of the content (a few kilobytes are enough), `size` its full length in bytes.
 */
export function checkUpload(input: { fileName?: string; mimeType?: string; size: number; head: Uint8Array }): UploadCheck {
  const mime = mimeOf(input.mimeType);
  const ext = extensionOf(input.fileName);
  const byMime = mime === undefined ? undefined : FORMAT_OF_MIME.get(mime);
  const byExt = ext === undefined ? undefined : FORMAT_OF_EXTENSION.get(ext);

  if (mime !== undefined && byMime === undefined) return problem('upload.format', `The file type ${mime} is not accepted: upload a ${ACCEPTED} file.`);
  if (ext !== undefined && byExt === undefined) return problem('upload.format', `Files ending in ${ext} are not accepted: upload a ${ACCEPTED} file.`);
  const declared = byMime ?? byExt;
  if (declared === undefined) return problem('upload.format', `The file type is not given: upload a ${ACCEPTED} file with its usual extension.`);
  if (byMime !== undefined && byExt !== undefined && byMime !== byExt) {
    return problem('upload.mismatch', `The file name ends in ${ext} but its type is ${mime}.`);
  }

  if (!(input.size > 0) || input.head.length === 0) return problem('upload.empty', 'The file is empty.');
  if (input.size > UPLOAD_MAX_BYTES) return problem('upload.too-large', `The file is larger than ${UPLOAD_MAX_BYTES / (1024 * 1024)} MB.`);

  const sniffed = sniffFormat(input.head);
  if (sniffed !== declared) {
    const seen = sniffed === undefined ? `not a ${ACCEPTED} file` : `a ${FORMAT_NAMES[sniffed]} file`;
    return problem('upload.mismatch', `The file is declared as ${FORMAT_NAMES[declared]} but its content is ${seen}.`);
  }
  return { ok: true, format: declared };
}
