import { describe, expect, it } from 'vitest';
import { PDF_CONTENT_TYPE, pdfToBase64 } from './index.js';

describe('pdf helpers', () => {
  it('has the PDF content type', () => {
    expect(PDF_CONTENT_TYPE).toBe('application/pdf');
  });

  it('encodes bytes as base64, including a view into a larger buffer', () => {
    const bytes = new TextEncoder().encode('%PDF-1.7 é');
    expect(Buffer.from(pdfToBase64(bytes), 'base64')).toEqual(Buffer.from(bytes));
    const view = new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 3);
    expect(pdfToBase64(view)).toBe(Buffer.from([1, 2]).toString('base64'));
    expect(pdfToBase64(new Uint8Array())).toBe('');
  });
});
