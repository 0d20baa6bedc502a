/** MIME type of the documents, for HTTP responses and e-mail attachments. */
export const PDF_CONTENT_TYPE = 'application/pdf';

/** The PDF as base64 (e.g. a FHIR `Attachment.data` or an e-mail attachment). */
export function pdfToBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
