import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALL_TYPE_CODES } from './codes.js';
import { checkMatrix, DEFAULT_MATRIX, matrixAllows, matrixFilter, matrixRow, mergeMatrix, type Matrix, type MatrixRow } from './matrix.js';

const MEDECIN = '10';
const PHARMACIEN = '21';
const DENTISTE = '40';
const SAGE_FEMME = '50';
const INFIRMIER = '60';
const KINE = '70';
const PODOLOGUE = '80';

describe('default matrix: cells known from public summaries (reference-data.md §1.2)', () => {
  const cells: ReadonlyArray<[profession: string, type: string, allowed: boolean, what: string]> = [
    [MEDECIN, 'ATTEST-RESID', false, 'attestation de résidence'],
    [MEDECIN, '68599-0', true, 'synthèse psychiatrique'],
    [MEDECIN, '11502-2', true, "CR d'examens biologiques"],
    [DENTISTE, '80788-3', false, "projet personnalisé d'accompagnement"],
    [DENTISTE, '75496-0', false, "demande d'acte de télémédecine"],
    [DENTISTE, '83981-1', false, 'LDL sortie structure sociale ou médico-sociale'],
    [DENTISTE, '83901-9', false, 'bilan psychologique'],
    [DENTISTE, '68599-0', false, 'synthèse psychiatrique'],
    [DENTISTE, '83836-7', true, 'schéma dentaire'],
    [INFIRMIER, '83981-1', true, 'LDL sortie structure sociale ou médico-sociale'],
    [INFIRMIER, '56445-0', true, 'bilan médicamenteux'],
    [INFIRMIER, 'PROT_ALD', true, 'protocole de soins ALD'],
    [INFIRMIER, '47420-5', true, 'CR de bilan fonctionnel'],
    [INFIRMIER, '11502-2', true, "CR d'examens biologiques"],
    [INFIRMIER, '15507-7', true, 'CR de passage aux urgences'],
    [INFIRMIER, 'DOCPAT03', true, 'CR déposé par le patient'],
    [INFIRMIER, '75496-0', false, "demande d'acte de télémédecine"],
    [INFIRMIER, '68599-0', false, 'synthèse psychiatrique'],
    [INFIRMIER, '83901-9', false, 'bilan psychologique'],
    [INFIRMIER, '68817-6', false, "bilan de santé et de prévention de l'enfant"],
    [INFIRMIER, '89601-9', false, 'certificat médical'],
  ];
  it.each(cells)('profession %s, type %s → %s (%s)', (profession, type, allowed) => {
    expect(matrixAllows(DEFAULT_MATRIX, profession, undefined, type)).toBe(allowed);
  });

  it('médecins read every J66 type but the attestation de résidence', () => {
    for (const t of ALL_TYPE_CODES) expect(matrixAllows(DEFAULT_MATRIX, MEDECIN, undefined, t.code)).toBe(t.code !== 'ATTEST-RESID');
  });

  it('the assumed rows deny psychiatric and psychological types and ATTEST-RESID, and say they are assumed', () => {
    for (const p of [PHARMACIEN, SAGE_FEMME, KINE, PODOLOGUE]) {
      const row = matrixRow(DEFAULT_MATRIX, p);
      expect(row?.source).toMatch(/^assumed/);
      for (const t of ['68599-0', '83901-9', 'ATTEST-RESID']) expect(matrixAllows(DEFAULT_MATRIX, p, undefined, t)).toBe(false);
      expect(matrixAllows(DEFAULT_MATRIX, p, undefined, '11502-2')).toBe(true);
    }
    expect(matrixRow(DEFAULT_MATRIX, INFIRMIER)?.source).toMatch(/assumed/);
    expect(matrixRow(DEFAULT_MATRIX, MEDECIN)?.source).not.toMatch(/assumed/);
    expect(matrixRow(DEFAULT_MATRIX, DENTISTE)?.source).not.toMatch(/assumed/);
  });

  it('is valid, cites a source in every row, and has no specialty row', () => {
    expect(checkMatrix(DEFAULT_MATRIX)).toEqual([]);
    for (const row of DEFAULT_MATRIX) {
      expect(row.source.length).toBeGreaterThan(10);
      expect(row.specialty).toBeUndefined();
    }
    expect(DEFAULT_MATRIX.map((r) => r.profession).sort()).toEqual(['10', '21', '40', '50', '60', '70', '80']);
  });

  it('a specialty without a row of its own follows the profession row', () => {
    expect(matrixAllows(DEFAULT_MATRIX, MEDECIN, 'SM42', '68599-0')).toBe(true);
    expect(matrixRow(DEFAULT_MATRIX, MEDECIN, 'SM42')).toBe(matrixRow(DEFAULT_MATRIX, MEDECIN));
  });
});

describe('deny by default', () => {
  it('denies every type to a profession without a row', () => {
    for (const p of ['69', '86', '91', '93', '99', '']) {
      expect(matrixRow(DEFAULT_MATRIX, p)).toBeUndefined();
      expect(matrixAllows(DEFAULT_MATRIX, p, undefined, '11488-4')).toBe(false);
      expect(matrixFilter(DEFAULT_MATRIX, p)).toEqual({ mode: 'only', types: [] });
    }
  });

  it("denies unknown and unlisted types under an 'only' row", () => {
    const m: Matrix = [{ profession: '91', otherTypes: 'deny', allow: ['11488-4', '47420-5'], deny: [], source: 'test' }];
    expect(matrixAllows(m, '91', undefined, '11488-4')).toBe(true);
    expect(matrixAllows(m, '91', undefined, '11502-2')).toBe(false);
    expect(matrixAllows(m, '91', undefined, 'NOT-A-TYPE')).toBe(false);
    expect(matrixFilter(m, '91')).toEqual({ mode: 'only', types: ['11488-4', '47420-5'] });
  });

  it('denies a type that a (malformed) row both allows and denies', () => {
    const m: Matrix = [
      { profession: '91', otherTypes: 'deny', allow: ['11488-4'], deny: ['11488-4'], source: 'test' },
      { profession: '92', otherTypes: 'allow', allow: ['11488-4'], deny: ['11488-4'], source: 'test' },
    ];
    expect(matrixAllows(m, '91', undefined, '11488-4')).toBe(false);
    expect(matrixAllows(m, '92', undefined, '11488-4')).toBe(false);
    expect(matrixFilter(m, '91')).toEqual({ mode: 'only', types: [] });
    expect(matrixFilter(m, '92')).toEqual({ mode: 'except', types: ['11488-4'] });
  });
});

describe('specialty rows (synthetic matrix)', () => {
  const m: Matrix = [
    { profession: '10', otherTypes: 'allow', allow: [], deny: ['ATTEST-RESID'], source: 'test' },
    { profession: '10', specialty: 'SM99', otherTypes: 'deny', allow: ['11488-4'], deny: [], source: 'test' },
    { profession: '60', specialty: 'SX01', otherTypes: 'deny', allow: ['PROT_ALD'], deny: [], source: 'test' },
  ];

  it('the profession + specialty row comes first', () => {
    expect(matrixRow(m, '10', 'SM99')).toBe(m[1]);
    expect(matrixAllows(m, '10', 'SM99', '11488-4')).toBe(true);
    expect(matrixAllows(m, '10', 'SM99', '11502-2')).toBe(false);
  });

  it('then the profession row alone', () => {
    expect(matrixRow(m, '10', 'SM42')).toBe(m[0]);
    expect(matrixRow(m, '10')).toBe(m[0]);
    expect(matrixRow(m, '10', '')).toBe(m[0]);
    expect(matrixAllows(m, '10', undefined, '11502-2')).toBe(true);
  });

  it('a specialty row does not apply to the profession as a whole', () => {
    expect(matrixRow(m, '60', 'SX01')).toBe(m[2]);
    expect(matrixRow(m, '60')).toBeUndefined();
    expect(matrixRow(m, '60', 'SX02')).toBeUndefined();
    expect(matrixAllows(m, '60', undefined, 'PROT_ALD')).toBe(false);
  });
});

describe('matrixFilter agrees with matrixAllows', () => {
  const professions = ['10', '21', '40', '60', '91'];
  const specialties = ['SM42', 'SM99', 'SCD01'];
  const typePool = ['11488-4', '11502-2', '68599-0', '83901-9', 'ATTEST-RESID', 'PROT_ALD', 'DOCPAT03', 'UNKNOWN'];
  const list = fc.array(fc.constantFrom(...typePool), { maxLength: 5 });
  const row: fc.Arbitrary<MatrixRow> = fc.record(
    {
      profession: fc.constantFrom(...professions),
      specialty: fc.constantFrom(...specialties),
      otherTypes: fc.constantFrom<'allow' | 'deny'>('allow', 'deny'),
      allow: list,
      deny: list,
      source: fc.constant('random'),
    },
    { requiredKeys: ['profession', 'otherTypes', 'allow', 'deny', 'source'] },
  );

  it('for random matrices, professions, specialties and types', () => {
    fc.assert(
      fc.property(
        fc.array(row, { maxLength: 8 }),
        fc.constantFrom(...professions, '99'),
        fc.option(fc.constantFrom(...specialties, 'SZ00'), { nil: undefined }),
        fc.constantFrom(...typePool, 'OTHER'),
        (m, p, s, t) => {
          const f = matrixFilter(m, p, s);
          const bySet = f.mode === 'except' ? !f.types.includes(t) : f.types.includes(t);
          expect(matrixAllows(m, p, s, t)).toBe(bySet);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('for the default matrix and every J66 type', () => {
    for (const p of ['10', '21', '40', '50', '60', '70', '80', '69']) {
      const f = matrixFilter(DEFAULT_MATRIX, p);
      for (const t of ALL_TYPE_CODES) {
        expect(matrixAllows(DEFAULT_MATRIX, p, undefined, t.code)).toBe(f.mode === 'except' ? !f.types.includes(t.code) : f.types.includes(t.code));
      }
    }
  });
});

describe('checkMatrix', () => {
  const ok: MatrixRow = { profession: '91', otherTypes: 'deny', allow: ['11488-4'], deny: [], source: 'JORF 29/10/2023, annex, transcribed by the operator' };

  it('accepts a valid row', () => {
    expect(checkMatrix([ok])).toEqual([]);
    expect(checkMatrix([ok, { ...ok, specialty: 'SM42' }])).toEqual([]);
  });

  const bad: ReadonlyArray<[what: string, rows: MatrixRow[], pattern: RegExp]> = [
    ['an unknown profession', [{ ...ok, profession: '99' }], /unknown profession/],
    ['an unknown allowed type', [{ ...ok, allow: ['12345-6'] }], /not a DMP type code/],
    ['an unknown denied type', [{ ...ok, deny: ['ATTEST-NOPE'] }], /not a DMP type code/],
    ['a type both allowed and denied', [{ ...ok, allow: ['11488-4'], deny: ['11488-4'] }], /both allowed and denied/],
    ['a duplicate profession row', [ok, { ...ok, allow: [] }], /duplicate/],
    ['a duplicate specialty row', [{ ...ok, specialty: 'SM42' }, { ...ok, specialty: 'SM42' }], /duplicate/],
    ['an empty specialty', [{ ...ok, specialty: '' }], /specialty/],
    ['a bad otherTypes', [{ ...ok, otherTypes: 'maybe' as 'allow' }], /otherTypes/],
    ['a missing source', [{ ...ok, source: ' ' }], /source/],
  ];
  it.each(bad)('rejects %s', (_what, rows, pattern) => {
    const problems = checkMatrix(rows);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(pattern);
  });

  it('reports every problem', () => {
    expect(checkMatrix([{ ...ok, profession: '99', allow: ['X'], deny: ['X'] }, { ...ok, profession: '99' }])).toHaveLength(6);
  });
});

describe('mergeMatrix', () => {
  it('replaces the default row with the same (profession, specialty) and appends the others', () => {
    const pharmacist: MatrixRow = { profession: '21', otherTypes: 'deny', allow: ['57833-6', '60593-1'], deny: [], source: 'annex, transcribed' };
    const psychiatrist: MatrixRow = { profession: '10', specialty: 'SM42', otherTypes: 'allow', allow: [], deny: [], source: 'operator' };
    const orthophoniste: MatrixRow = { profession: '91', otherTypes: 'deny', allow: ['11488-4'], deny: [], source: 'operator' };
    const merged = mergeMatrix(DEFAULT_MATRIX, [pharmacist, psychiatrist, orthophoniste]);

    expect(merged).toHaveLength(DEFAULT_MATRIX.length + 2);
    expect(merged.filter((r) => r.profession === '21')).toEqual([pharmacist]);
    expect(merged.findIndex((r) => r.profession === '21')).toBe(DEFAULT_MATRIX.findIndex((r) => r.profession === '21'));
    expect(matrixAllows(merged, '21', undefined, '11502-2')).toBe(false);
    expect(matrixAllows(merged, '21', undefined, '57833-6')).toBe(true);
    // The médecin row stays; the specialty row sits beside it.
    expect(matrixRow(merged, '10')).toBe(matrixRow(DEFAULT_MATRIX, '10'));
    expect(matrixAllows(merged, '10', 'SM42', 'ATTEST-RESID')).toBe(true);
    expect(matrixAllows(merged, '10', undefined, 'ATTEST-RESID')).toBe(false);
    expect(matrixAllows(merged, '91', undefined, '11488-4')).toBe(true);
    expect(checkMatrix(merged)).toEqual([]);
    // The defaults are untouched.
    expect(matrixRow(DEFAULT_MATRIX, '21')?.source).toMatch(/^assumed/);
  });

  it('keeps the defaults when there is nothing to merge', () => {
    expect(mergeMatrix(DEFAULT_MATRIX, [])).toEqual(DEFAULT_MATRIX);
  });
});
