import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumberFr, formatPartialDateFr, formatQuantityFr, frenchText, NBSP, onDateFr, unitFr } from './french.js';

const nb = (s: string) => s.replace(/~/g, NBSP);

describe('frenchText', () => {
  it('puts a no-break space before ; : ! ? and inside guillemets', () => {
    expect(frenchText('Attention: allergie!')).toBe(nb('Attention~: allergie~!'));
    expect(frenchText('Pourquoi ? Parce que ; voilà')).toBe(nb('Pourquoi~? Parce que~; voilà'));
    expect(frenchText('Quoi ?!')).toBe(nb('Quoi~?!'));
    expect(frenchText('« fin de vie »')).toBe(nb('«~fin de vie~»'));
    expect(frenchText('«fin de vie»')).toBe(nb('«~fin de vie~»'));
    expect(frenchText('le formulaire "fin de vie" rempli')).toBe(nb('le formulaire «~fin de vie~» rempli'));
    expect(frenchText('« Vraiment ! »')).toBe(nb('«~Vraiment~!~»'));
  });

  it('leaves URLs, times and ratios alone, and makes apostrophes typographic', () => {
    expect(frenchText('voir https://example.fr/a?b=1 à 10:30')).toBe('voir https://example.fr/a?b=1 à 10:30');
    expect(frenchText("l'hôpital d'Arras")).toBe('l’hôpital d’Arras');
    expect(frenchText('a  b')).toBe('a b');
  });

  it('is idempotent and never leaves a breakable space before high punctuation (property)', () => {
    const chars = fc.constantFrom('a', 'é', ' ', ':', ';', '!', '?', '«', '»', '"', "'", '1', '.', ',');
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 40 }).map((c) => c.join('')), (s) => {
        const once = frenchText(s);
        expect(frenchText(once)).toBe(once);
        expect(once).not.toMatch(/ [;!?]+(\s|$)/);
        expect(once).not.toMatch(/[^\s] :(\s|$)/);
        expect(once).not.toMatch(/« /);
        expect(once).not.toMatch(/ »/);
      }),
    );
  });
});

describe('numbers and quantities', () => {
  it('writes decimals with a comma and groups thousands with a no-break space', () => {
    expect(formatNumberFr(72.5)).toBe('72,5');
    expect(formatNumberFr(72.5, { fixed: 2 })).toBe('72,50');
    expect(formatNumberFr(1.256, 2)).toBe('1,26');
    expect(formatNumberFr(12345.6, 1)).toBe(nb('12~345,6'));
    expect(formatNumberFr(-3, 0)).toBe('-3');
  });

  it('keeps the unit with its value, in French', () => {
    expect(formatQuantityFr(72.5, 'kg')).toBe(nb('72,5~kg'));
    expect(formatQuantityFr(23.4, 'kg/m2', 1)).toBe(nb('23,4~kg/m²'));
    expect(formatQuantityFr('120/80', 'mm[Hg]')).toBe(nb('120/80~mmHg'));
    expect(formatQuantityFr(37.2, 'Cel', 1)).toBe(nb('37,2~°C'));
    expect(formatQuantityFr(3, '{score}')).toBe('3/10');
    expect(formatQuantityFr(3, undefined)).toBe('3');
    expect(unitFr('mmol/L')).toBe('mmol/L');
  });

  it('reads back the number it wrote (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: -1e6, max: 1e6, noNaN: true }), (x) => {
        const s = formatNumberFr(x, 2);
        const back = Number(s.replace(new RegExp(NBSP, 'g'), '').replace(',', '.'));
        expect(Math.abs(back - x)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(s).not.toContain('.');
      }),
    );
  });
});

describe('dates', () => {
  it('writes whole and partial dates in words', () => {
    expect(formatPartialDateFr('2024-03-14')).toBe(nb('14~mars~2024'));
    expect(formatPartialDateFr('2024-05-01T10:00:00Z')).toBe(nb('1er~mai~2024'));
    expect(formatPartialDateFr('2018-03')).toBe(nb('mars~2018'));
    expect(formatPartialDateFr('2018')).toBe('2018');
    expect(formatPartialDateFr({ year: 2020, month: 12 })).toBe(nb('décembre~2020'));
    expect(formatPartialDateFr('hier')).toBeUndefined();
    expect(onDateFr('2024-03-14')).toBe(nb('le 14~mars~2024'));
    expect(onDateFr('2018-03')).toBe(nb('en mars~2018'));
    expect(onDateFr('2018')).toBe('en 2018');
  });
});
