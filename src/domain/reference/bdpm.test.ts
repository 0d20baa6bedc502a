import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BdpmFormatError, decodeBdpm, encodeWindows1252, orphanPresentation, parseCisCipFile, parseCisFile } from './bdpm.js';
import { cip13OfCip7 } from './cip.js';

const CIS_ROW = '60234100\tDOLIPRANE 1000 mg, comprimé\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t09/07/2002\t\t\t OPELLA HEALTHCARE FRANCE\tNon';
const CIP_ROW =
  "60234100\t3595583\tplaquette(s) thermoformée(s) PVC-aluminium de 8  comprimé(s)\tPrésentation active\tDéclaration de commercialisation\t02/01/2003\t3400935955838\toui\t65%\t1,16\t2,18\t1,02\t\t";

function errorOf(fn: () => unknown): BdpmFormatError {
  try {
    fn();
  } catch (e) {
    if (e instanceof BdpmFormatError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('BDPM files', () => {
  it('parses a product row', () => {
    const [p] = parseCisFile(`${CIS_ROW}\n`);
    expect(p).toMatchObject({
      cis: '60234100',
      name: 'DOLIPRANE 1000 mg, comprimé',
      form: 'comprimé',
      routes: ['orale'],
      marketed: true,
      authorisationDate: '2002-07-09',
      holders: ['OPELLA HEALTHCARE FRANCE'],
      reinforcedMonitoring: false,
    });
  });

  it('parses a presentation row with its trailing tab, and CRLF line ends', () => {
    const [p] = parseCisCipFile(`${CIP_ROW}\r\n`);
    expect(p).toMatchObject({ cis: '60234100', cip7: '3595583', cip13: '3400935955838', marketed: true, declarationDate: '2003-01-02', reimbursementRates: ['65%'] });
  });

  it('reads the Windows-1252 bytes of the publisher, and UTF-8 copies', () => {
    const bytes = encodeWindows1252(`${CIS_ROW}\n`);
    expect(bytes.includes(0xe9)).toBe(true); // é as one byte
    expect(parseCisFile(decodeBdpm(bytes))[0]!.name).toBe('DOLIPRANE 1000 mg, comprimé');
    expect(parseCisFile(decodeBdpm(new TextEncoder().encode(CIS_ROW)))[0]!.name).toBe('DOLIPRANE 1000 mg, comprimé');
  });

  it('names the file and the line of a bad row', () => {
    const text = `${CIS_ROW}\n6023410\tX\tcomprimé\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t09/07/2002\t\t\t H\tNon\n`;
    const err = errorOf(() => parseCisFile(text));
    expect(err.file).toBe('CIS_bdpm.txt');
    expect(err.line).toBe(2);
    expect(err.message).toMatch(/CIS_bdpm\.txt, line 2: .*8 digits/);
  });

  it('refuses a presentation file given as the product file (wrong column count)', () => {
    const err = errorOf(() => parseCisFile(CIP_ROW));
    expect(err.line).toBe(1);
    expect(err.reason).toMatch(/columns/);
  });

  it('refuses a CIP13 with a wrong check digit, naming the line', () => {
    const bad = CIP_ROW.replace('3400935955838', '3400935955839');
    const err = errorOf(() => parseCisCipFile(`${CIP_ROW}\n${bad.replace('3595583', '3595584')}\n`));
    expect(err.line).toBe(2);
    expect(err.reason).toMatch(/check digit/);
  });

  it('refuses impossible dates and duplicate CIS', () => {
    expect(errorOf(() => parseCisFile(CIS_ROW.replace('09/07/2002', '31/02/2002'))).reason).toMatch(/real date/);
    expect(errorOf(() => parseCisFile(`${CIS_ROW}\n${CIS_ROW}`)).reason).toMatch(/twice/);
  });

  it('finds presentations whose product is missing', () => {
    const products = parseCisFile(CIS_ROW);
    const presentations = parseCisCipFile(CIP_ROW.replace(/^60234100/, '60234101'));
    expect(orphanPresentation(products, presentations)?.cis).toBe('60234101');
  });

  it('accepts every CIP13 built from a CIP7 (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{7}$/), (cip7) => {
        const row = CIP_ROW.replace('3595583', cip7).replace('3400935955838', cip13OfCip7(cip7));
        expect(parseCisCipFile(row)[0]!.cip13).toBe(cip13OfCip7(cip7));
      }),
    );
  });

  it('parses the shipped extract: every presentation belongs to a product and has a valid key', () => {
    const dir = path.resolve(__dirname, '../../../data/reference');
    const products = parseCisFile(decodeBdpm(fs.readFileSync(path.join(dir, 'CIS_bdpm.txt'))));
    const presentations = parseCisCipFile(decodeBdpm(fs.readFileSync(path.join(dir, 'CIS_CIP_bdpm.txt'))));
    expect(products.length).toBeGreaterThanOrEqual(100);
    expect(presentations.length).toBeGreaterThan(20);
    expect(orphanPresentation(products, presentations)).toBeUndefined();
    expect(products.find((p) => p.cis === '60234100')?.name).toBe('DOLIPRANE 1000 mg, comprimé');
  });
});
