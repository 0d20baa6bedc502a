/**
 * Small layout kit shared by the documents: A4 pages, the four standard fonts (embedded once per document),
 * text blocks with word wrapping laid out in rows, page breaks, and the common header and footer.
 * Internal to src/services/documents.
 */
import { PDFDocument, PDFName, StandardFonts, degrees, drawText, rgb, type Color, type PDFFont, type PDFPage } from 'pdf-lib';
import { formatDateTimeFr, textWidth, toWinAnsi, wrapText } from './format.js';

export const MM = 72 / 25.4;
export const PAGE = { width: 595.28, height: 841.89 } as const; // A4
export const MARGIN = 20 * MM;
export const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
export const BODY_TOP = PAGE.height - 72;
export const BODY_BOTTOM = 66;

export const BRAND = 'Carnet — espace santé';

export const COLORS = {
  text: rgb(0.11, 0.12, 0.14),
  muted: rgb(0.38, 0.4, 0.44),
  accent: rgb(0.05, 0.32, 0.58),
  rule: rgb(0.78, 0.8, 0.84),
  panel: rgb(0.93, 0.95, 0.98),
} as const;

export type FontName = 'regular' | 'bold' | 'italic' | 'mono';
export type Fonts = Record<FontName, PDFFont>;

const NO_ROTATION = degrees(0);

const FONT_KEYS: Record<FontName, string> = { regular: 'F1', bold: 'F2', italic: 'F3', mono: 'F4' };

export interface TextStyle {
  font?: FontName;
  size?: number;
  color?: Color;
  align?: 'left' | 'center' | 'right';
}

/** A page that draws text with fixed font resource names (pdf-lib's drawText adds a new one per call). */
export class PageCanvas {
  constructor(
    readonly page: PDFPage,
    private readonly fonts: Fonts,
  ) {
    for (const name of Object.keys(FONT_KEYS) as FontName[]) {
      page.node.setFontDictionary(PDFName.of(FONT_KEYS[name]), fonts[name].ref);
    }
  }

  /** Draws one line of text; `x` is the left edge, the centre or the right edge depending on `align`. */
  text(value: string, x: number, y: number, style: TextStyle = {}): void {
    const fontName = style.font ?? 'regular';
    const font = this.fonts[fontName];
    const size = style.size ?? 10;
    const safe = toWinAnsi(value, font);
    if (safe === '') return;
    let left = x;
    if (style.align === 'right') left = x - textWidth(safe, font, size);
    else if (style.align === 'center') left = x - textWidth(safe, font, size) / 2;
    this.page.pushOperators(
      ...drawText(font.encodeText(safe), {
        color: style.color ?? COLORS.text,
        font: FONT_KEYS[fontName],
        size,
        rotate: NO_ROTATION,
        xSkew: NO_ROTATION,
        ySkew: NO_ROTATION,
        x: left,
        y,
      }),
    );
  }

  line(x1: number, y1: number, x2: number, y2: number, color: Color = COLORS.rule, thickness = 0.75): void {
    this.page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, color, thickness });
  }

  rect(x: number, y: number, width: number, height: number, fill: Color, border?: Color): void {
    this.page.drawRectangle({
      x,
      y,
      width,
      height,
      color: fill,
      ...(border ? { borderColor: border, borderWidth: 0.75 } : {}),
    });
  }
}

export interface DocumentInfo {
  operatorName: string;
  title: string;
  subject?: string;
  generatedAt: Date;
}

/** A PDF being built: fonts embedded once, pages, and the header and footer drawn on save. */
export class DocumentBuilder {
  readonly pages: PageCanvas[] = [];
  /** Extra text printed in the middle of a page's footer, by page index. */
  readonly footerNotes = new Map<number, string>();

  private constructor(
    readonly doc: PDFDocument,
    readonly fonts: Fonts,
    readonly info: DocumentInfo,
  ) {}

  static async create(info: DocumentInfo): Promise<DocumentBuilder> {
    const doc = await PDFDocument.create({ updateMetadata: false });
    const [regular, bold, italic, mono] = await Promise.all([
      doc.embedFont(StandardFonts.Helvetica),
      doc.embedFont(StandardFonts.HelveticaBold),
      doc.embedFont(StandardFonts.HelveticaOblique),
      doc.embedFont(StandardFonts.CourierBold),
    ]);
    doc.setTitle(info.title, { showInWindowTitleBar: true });
    doc.setAuthor(info.operatorName);
    if (info.subject) doc.setSubject(info.subject);
    doc.setCreator(BRAND);
    doc.setProducer('Carnet (pdf-lib)');
    doc.setLanguage('fr-FR');
    doc.setCreationDate(info.generatedAt);
    doc.setModificationDate(info.generatedAt);
    return new DocumentBuilder(doc, { regular, bold, italic, mono }, info);
  }

  addPage(): PageCanvas {
    const canvas = new PageCanvas(this.doc.addPage([PAGE.width, PAGE.height]), this.fonts);
    this.pages.push(canvas);
    return canvas;
  }

  /**
   * Draws the header and footer of every page. `numbering` decides the "Page n / N" of each page (by default
   * the position in the whole document).
   */
  async save(numbering?: (index: number) => { page: number; of: number }): Promise<Uint8Array> {
    const generated = `Document généré le ${formatDateTimeFr(this.info.generatedAt)}`;
    const total = this.pages.length;
    this.pages.forEach((canvas, index) => {
      const { page, of } = numbering ? numbering(index) : { page: index + 1, of: total };
      this.drawHeader(canvas);
      this.drawFooter(canvas, generated, `Page ${page} / ${of}`, this.footerNotes.get(index));
    });
    return this.doc.save({ addDefaultPage: false });
  }

  private drawHeader(canvas: PageCanvas): void {
    const top = PAGE.height - 38;
    canvas.text(BRAND, MARGIN, top, { font: 'bold', size: 12, color: COLORS.accent });
    const room = CONTENT_WIDTH - textWidth(BRAND, this.fonts.bold, 12) - 24;
    const operator = fitLine(this.info.operatorName, this.fonts.regular, 9, room);
    canvas.text(operator, PAGE.width - MARGIN, top, { size: 9, color: COLORS.muted, align: 'right' });
    canvas.line(MARGIN, top - 9, PAGE.width - MARGIN, top - 9);
  }

  private drawFooter(canvas: PageCanvas, generated: string, pageLabel: string, note?: string): void {
    canvas.line(MARGIN, 46, PAGE.width - MARGIN, 46);
    canvas.text(generated, MARGIN, 33, { size: 8, color: COLORS.muted });
    if (note) canvas.text(note, PAGE.width / 2 + 40, 33, { size: 8, color: COLORS.muted, align: 'center' });
    canvas.text(pageLabel, PAGE.width - MARGIN, 33, { size: 8, color: COLORS.muted, align: 'right' });
  }
}

/** `text` cut with an ellipsis so that it fits `maxWidth`. */
export function fitLine(text: string, font: PDFFont, size: number, maxWidth: number): string {
  const safe = toWinAnsi(text, font);
  if (textWidth(safe, font, size) <= maxWidth) return safe;
  const chars = [...safe];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, font, size) > maxWidth) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

// ---------------------------------------------------------------------------------------------------------
// Blocks and rows

export type Block =
  | ({ kind: 'text'; text: string; gapBefore?: number; indent?: number; keepWithNext?: boolean } & TextStyle)
  | { kind: 'fields'; rows: Array<[label: string, value: string]>; gapBefore?: number; labelWidth?: number }
  | { kind: 'bullets'; items: string[]; gapBefore?: number }
  | { kind: 'box'; lines: Array<{ text: string } & TextStyle>; gapBefore?: number };

/** An unbreakable strip of a page: drawn with its top edge at `top`. */
export interface Row {
  height: number;
  gapBefore: number;
  keepWithNext: boolean;
  draw(canvas: PageCanvas, top: number): void;
}

const LEADING = 1.38;

function baseline(top: number, lineHeight: number, size: number): number {
  return top - lineHeight / 2 - 0.36 * size;
}

/** Lays blocks out into rows `width` wide starting at `left`; `scale` multiplies every font size and gap. */
export function layoutBlocks(blocks: Block[], fonts: Fonts, scale = 1, left = MARGIN, width = CONTENT_WIDTH): Row[] {
  const rows: Row[] = [];
  const base = 10 * scale;
  for (const block of blocks) {
    const gap = (block.gapBefore ?? 0) * scale;
    if (block.kind === 'text') {
      const fontName = block.font ?? 'regular';
      const size = (block.size ?? 10) * scale;
      const lineHeight = size * LEADING;
      const indent = (block.indent ?? 0) * scale;
      const lines = wrapText(block.text, fonts[fontName], size, width - indent);
      const align = block.align ?? 'left';
      const x = align === 'center' ? left + indent + (width - indent) / 2 : align === 'right' ? left + width : left + indent;
      lines.forEach((line, i) => {
        rows.push({
          height: lineHeight,
          gapBefore: i === 0 ? gap : 0,
          keepWithNext: block.keepWithNext === true || i < Math.min(lines.length - 1, 1),
          draw: (canvas, top) =>
            canvas.text(line, x, baseline(top, lineHeight, size), { font: fontName, size, color: block.color, align }),
        });
      });
    } else if (block.kind === 'fields') {
      const labelWidth = (block.labelWidth ?? 170) * scale;
      const lineHeight = base * LEADING;
      block.rows.forEach(([label, value], i) => {
        const labels = wrapText(label, fonts.bold, base, labelWidth - 8);
        const values = wrapText(value, fonts.regular, base, width - labelWidth);
        const count = Math.max(labels.length, values.length);
        rows.push({
          height: count * lineHeight + 3 * scale,
          gapBefore: i === 0 ? gap : 0,
          keepWithNext: false,
          draw: (canvas, top) => {
            labels.forEach((l, j) =>
              canvas.text(l, left, baseline(top - j * lineHeight, lineHeight, base), { font: 'bold', size: base, color: COLORS.muted }),
            );
            values.forEach((v, j) =>
              canvas.text(v, left + labelWidth, baseline(top - j * lineHeight, lineHeight, base), { size: base }),
            );
          },
        });
      });
    } else if (block.kind === 'bullets') {
      const lineHeight = base * LEADING;
      const indent = 14 * scale;
      block.items.forEach((item, i) => {
        const lines = wrapText(item, fonts.regular, base, width - indent);
        rows.push({
          height: lines.length * lineHeight + 2 * scale,
          gapBefore: i === 0 ? gap : 0,
          keepWithNext: false,
          draw: (canvas, top) => {
            canvas.text('•', left + 3 * scale, baseline(top, lineHeight, base), { size: base, color: COLORS.accent });
            lines.forEach((l, j) => canvas.text(l, left + indent, baseline(top - j * lineHeight, lineHeight, base), { size: base }));
          },
        });
      });
    } else {
      const padding = 9 * scale;
      const inner = width - 2 * padding;
      const laid = block.lines.flatMap((line) => {
        const fontName = line.font ?? 'regular';
        const size = (line.size ?? 10) * scale;
        return wrapText(line.text, fonts[fontName], size, inner).map((text) => ({ ...line, text, fontName, size, lineHeight: size * 1.3 }));
      });
      const height = laid.reduce((sum, l) => sum + l.lineHeight, 0) + 2 * padding;
      rows.push({
        height,
        gapBefore: gap,
        keepWithNext: false,
        draw: (canvas, top) => {
          canvas.rect(left, top - height, width, height, COLORS.panel, COLORS.rule);
          let y = top - padding;
          for (const l of laid) {
            const align = l.align ?? 'left';
            const x = align === 'center' ? left + width / 2 : align === 'right' ? left + width - padding : left + padding;
            canvas.text(l.text, x, baseline(y, l.lineHeight, l.size), { font: l.fontName, size: l.size, color: l.color, align });
            y -= l.lineHeight;
          }
        },
      });
    }
  }
  return rows;
}

/** Total height of rows placed one after the other on a single page. */
export function rowsHeight(rows: Row[]): number {
  return rows.reduce((sum, row, i) => sum + row.height + (i === 0 ? 0 : row.gapBefore), 0);
}

/** Places rows on the pages of `builder`, adding pages as needed, keeping headings with what follows. */
export function flowRows(builder: DocumentBuilder, rows: Row[]): void {
  let canvas = builder.addPage();
  let y = BODY_TOP;
  let atTop = true;
  rows.forEach((row, i) => {
    let gap = atTop ? 0 : row.gapBefore;
    // A row kept with the next ones needs room for the whole chain and for one row after it.
    let needed = gap + row.height;
    for (let j = i; rows[j]?.keepWithNext && j + 1 < rows.length; j++) {
      needed += rows[j + 1].gapBefore + rows[j + 1].height;
    }
    if (!atTop && y - needed < BODY_BOTTOM && BODY_TOP - needed >= BODY_BOTTOM) {
      canvas = builder.addPage();
      y = BODY_TOP;
      gap = 0;
    } else if (!atTop && y - gap - row.height < BODY_BOTTOM) {
      canvas = builder.addPage();
      y = BODY_TOP;
      gap = 0;
    }
    row.draw(canvas, y - gap);
    y -= gap + row.height;
    atTop = false;
  });
}

/** "Lucie MARTIN": given names as written, family name in capitals (French administrative style). */
export function fullName(person: { givenName: string; familyName: string }): string {
  return `${person.givenName.trim()} ${person.familyName.trim().toLocaleUpperCase('fr-FR')}`.trim();
}
