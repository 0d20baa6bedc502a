/**
 * Reads back the text of a PDF produced by this module, page by page, for tests (pdf-lib has no text
 * extraction). It decodes each page's content streams and collects the strings shown with `Tj`, one per
 * drawn line, decoded from WinAnsi (windows-1252). Not a general PDF text extractor.
 */
import { PDFArray, PDFDocument, PDFRawStream, decodePDFRawStream } from 'pdf-lib';

const SHOW_TEXT = /<([0-9A-Fa-f\s]*)>\s*Tj/g;
// windows-1252 differs from ISO-8859-1 on 0x80-0x9F (Node's TextDecoder treats both labels as ISO-8859-1).
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

function winAnsi(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += byte >= 0x80 && byte <= 0x9f ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
  return out;
}

/** The lines of text of each page, in drawing order. */
export async function extractPdfLines(bytes: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams =
      contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref)) : contents ? [contents] : [];
    const lines: string[] = [];
    for (const stream of streams) {
      if (!(stream instanceof PDFRawStream)) continue;
      const source = Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1');
      for (const match of source.matchAll(SHOW_TEXT)) {
        lines.push(winAnsi(Buffer.from(match[1].replace(/\s/g, ''), 'hex')));
      }
    }
    return lines;
  });
}

/** The text of each page, lines joined by "\n". */
export async function extractPdfText(bytes: Uint8Array): Promise<string[]> {
  return (await extractPdfLines(bytes)).map((lines) => lines.join('\n'));
}

/** Text with every run of white space (line breaks, no-break spaces) made one space, to search for phrases. */
export function flattenText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
