import { PDFDocument, StandardFonts, type PDFFont } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  formatDateFr,
  formatDateTimeFr,
  formatShortDateFr,
  formatTimeFr,
  looksLikeUnmaskedNir,
  maskNir,
  textWidth,
  toWinAnsi,
  wrapText,
} from './format.js';

let font: PDFFont;
let bold: PDFFont;

beforeAll(async () => {
  const doc = await PDFDocument.create();
  font = await doc.embedFont(StandardFonts.Helvetica);
  bold = await doc.embedFont(StandardFonts.HelveticaBold);
});

describe('formatDateFr', () => {
  it('writes the day, the month in words and the year', () => {
    expect(formatDateFr(new Date('2026-11-22T17:40:00Z'))).toBe('22 novembre 2026');
    expect(formatDateFr('1984-02-29')).toBe('29 février 1984');
    expect(formatDateFr('2026-08-15')).toBe('15 août 2026');
    expect(formatDateFr('2027-12-31')).toBe('31 décembre 2027');
  });

  it('writes the first of the month "1er"', () => {
    expect(formatDateFr('2026-03-01')).toBe('1er mars 2026');
  });

  it('reads a Date in Europe/Paris, not UTC', () => {
    expect(formatDateFr(new Date('2026-11-22T23:30:00Z'))).toBe('23 novembre 2026');
    expect(formatDateFr(new Date('2026-06-30T22:30:00Z'))).toBe('1er juillet 2026');
  });

  it('does not shift a calendar date', () => {
    expect(formatDateFr('2000-01-01')).toBe('1er janvier 2000');
  });

  it('rejects malformed or impossible dates', () => {
    expect(() => formatDateFr('1985-02-29')).toThrow(RangeError);
    expect(() => formatDateFr('22/11/2026')).toThrow(RangeError);
    expect(() => formatDateFr(new Date('nope'))).toThrow(RangeError);
  });
});

describe('formatDateTimeFr', () => {
  it('formats in Europe/Paris, winter and summer time', () => {
    expect(formatDateTimeFr(new Date('2026-11-22T17:40:00Z'))).toBe('22/11/2026 à 18:40');
    expect(formatDateTimeFr(new Date('2026-07-14T10:05:00Z'))).toBe('14/07/2026 à 12:05');
  });

  it('writes midnight 00:00 and crosses the day boundary', () => {
    expect(formatDateTimeFr(new Date('2026-01-01T23:00:00Z'))).toBe('02/01/2026 à 00:00');
    expect(formatTimeFr(new Date('2026-01-01T23:00:00Z'))).toBe('00:00');
    expect(formatShortDateFr('2026-01-02')).toBe('02/01/2026');
  });
});

describe('maskNir', () => {
  it('keeps the sex, year, month and key only', () => {
    expect(maskNir('184127510804646')).toBe('1 84 12 ** *** *** 46');
    expect(maskNir('1 84 12 75 108 046 46')).toBe('1 84 12 ** *** *** 46');
    expect(maskNir('2840399350123 07')).toBe('2 84 03 ** *** *** 07');
  });

  it('masks Corsican departments and NIRs without their key', () => {
    expect(maskNir('284032a012345 12')).toBe('2 84 03 ** *** *** 12');
    expect(maskNir('1841275108046')).toBe('1 84 12 ** *** ***');
  });

  it('masks anything else entirely', () => {
    for (const odd of ['', '12345', '18412751080464612', 'not a nir', '1841275108046X']) {
      const masked = maskNir(odd);
      expect(masked).not.toMatch(/[0-9]/);
    }
  });

  it('never keeps the place of birth or the order number', () => {
    const masked = maskNir('184127510804646');
    for (const secret of ['75', '108', '046']) expect(masked.replace(/ /g, '')).not.toContain(`12${secret}`);
    expect(masked.replace(/[^0-9]/g, '')).toBe('1841246');
  });

  it('tells a masked NIR from an unmasked one', () => {
    expect(looksLikeUnmaskedNir(maskNir('184127510804646'))).toBe(false);
    expect(looksLikeUnmaskedNir('184127510804646')).toBe(true);
    expect(looksLikeUnmaskedNir('1 84 12 75 108 046 46')).toBe(true);
  });
});

describe('toWinAnsi', () => {
  it('keeps French letters and typography', () => {
    const text = 'Œuvre d’été : « à ç ô è ù î ë ÿ Æ œ » — 10 € …';
    expect(toWinAnsi(text, font)).toBe(text);
  });

  it('replaces what WinAnsi lacks, without throwing', () => {
    expect(toWinAnsi('Fête 🎉 ici', font)).toBe('Fête ? ici');
    expect(toWinAnsi('Famille 👨‍👩‍👧 ok', font)).toBe('Famille ? ok');
    expect(toWinAnsi('Pouce 👍🏽', font)).toBe('Pouce ?');
    expect(toWinAnsi('Ștefan Łukasz Dvořák', font)).toBe('Stefan Lukasz Dvorák');
    expect(toWinAnsi('李 明', font)).toBe('? ?');
    expect(toWinAnsi('a\u202Fb\tc\nd\u200Be', font)).toBe('a\u00A0b c de');
    expect(toWinAnsi('e\u0301te\u0301', font)).toBe('été'); // decomposed accents
    expect(toWinAnsi('x \u2212 y \u2011 z', font)).toBe('x - y - z');
    expect(() => font.encodeText(toWinAnsi('🎉 \u0000 \uD800 ∑ ∞', font))).not.toThrow();
  });
});

describe('wrapText', () => {
  const text =
    'Vous pouvez vous opposer à la création de votre profil en ligne ou par téléphone, avec le code personnel ' +
    'figurant sur ce courrier, jusqu’à la date indiquée.';

  it('breaks at spaces within the width', () => {
    const lines = wrapText(text, font, 10, 150);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(textWidth(line, font, 10)).toBeLessThanOrEqual(150);
    expect(lines.join(' ')).toBe(text);
  });

  it('keeps a short text on one line and honours line breaks', () => {
    expect(wrapText('Bonjour', bold, 12, 400)).toEqual(['Bonjour']);
    expect(wrapText('a\n\nb', font, 10, 400)).toEqual(['a', '', 'b']);
    expect(wrapText('', font, 10, 400)).toEqual(['']);
  });

  it('cuts a word longer than a line', () => {
    const lines = wrapText('https://carnet.example.fr/'.repeat(6), font, 10, 100);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) expect(textWidth(line, font, 10)).toBeLessThanOrEqual(100);
    expect(lines.join('')).toBe('https://carnet.example.fr/'.repeat(6));
  });

  it('terminates even when nothing fits', () => {
    expect(wrapText('abc', font, 10, 0)).toEqual(['a', 'b', 'c']);
  });

  it('returns drawable lines for any input', () => {
    const lines = wrapText('Zoé 🎉 Œdipe ’ 李', font, 10, 60);
    for (const line of lines) expect(() => font.encodeText(line)).not.toThrow();
  });
});
