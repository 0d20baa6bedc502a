import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VaccineListError, validateVaccineList } from './vaccines.js';

const entry = { id: 'bexsero', label: 'Bexsero', cis: '64493883', cip13: ['3400926863036'], atcCode: 'J07AH09', atcLabel: 'méningocoque B', diseases: ['infections à méningocoque B'] };
const list = (vaccines: unknown[], extra: Record<string, unknown> = {}) => ({ source: 'test', version: '2025-01-01', vaccines, ...extra });

function fieldOf(input: unknown): string {
  try {
    validateVaccineList(input);
  } catch (e) {
    if (e instanceof VaccineListError) return e.field;
    throw e;
  }
  return '(accepted)';
}

describe('vaccine reference list', () => {
  it('accepts a valid list and defaults the kind', () => {
    const l = validateVaccineList(list([entry]));
    expect(l.vaccines[0]).toMatchObject({ id: 'bexsero', kind: 'vaccine', cip13: ['3400926863036'] });
  });

  it('names the bad field', () => {
    expect(fieldOf(list([{ ...entry, atcCode: 'N02BE01' }]))).toBe('vaccines[0].atcCode');
    expect(fieldOf(list([{ ...entry, cip13: ['3400926863037'] }]))).toBe('vaccines[0].cip13[0]');
    expect(fieldOf(list([{ ...entry, cis: '123' }]))).toBe('vaccines[0].cis');
    expect(fieldOf(list([{ ...entry, diseases: [] }]))).toBe('vaccines[0].diseases');
    expect(fieldOf(list([entry, entry]))).toBe('vaccines[1].id');
    expect(fieldOf(list([{ ...entry, id: 'Bad Id' }]))).toBe('vaccines[0].id');
    expect(fieldOf(list([{ ...entry, marketedFrom: '2025-02-30' }]))).toBe('vaccines[0].marketedFrom');
    expect(fieldOf(list([{ ...entry, colour: 'red' }]))).toBe('vaccines[0].colour');
    expect(fieldOf(list([entry], { version: 'yesterday' }))).toBe('version');
    expect(fieldOf(list([]))).toBe('vaccines');
    expect(fieldOf([])).toBe('(file)');
  });

  it('takes J06B codes for monoclonal antibodies only', () => {
    const nirsevimab = { ...entry, id: 'beyfortus', cis: undefined, cip13: [], atcCode: 'J06BD08', kind: 'monoclonal-antibody' };
    expect(fieldOf(list([nirsevimab]))).toBe('(accepted)');
    expect(fieldOf(list([{ ...nirsevimab, kind: 'vaccine' }]))).toBe('vaccines[0].atcCode');
  });

  it('validates the shipped list', () => {
    const file = path.resolve(__dirname, '../../../data/reference/vaccines.json');
    const l = validateVaccineList(JSON.parse(fs.readFileSync(file, 'utf8')));
    const ids = l.vaccines.map((v) => v.id);
    for (const id of ['hexyon', 'infanrix-hexa', 'vaxelis', 'prevenar-20', 'bexsero', 'nimenrix', 'priorix', 'gardasil-9', 'comirnaty', 'shingrix', 'beyfortus', 'bcg']) {
      expect(ids).toContain(id);
    }
  });
});
