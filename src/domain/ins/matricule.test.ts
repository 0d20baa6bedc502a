import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INS_OID } from './ins.js';
import { parseMatricule, toInsOid } from './matricule.js';
import { makeNir, type NirSex } from './nir.js';

const NIR = '184127645108946';

describe('toInsOid', () => {
  it.each(Object.values(INS_OID))('knows %s, bare or as urn:oid', (oid) => {
    expect(toInsOid(oid)).toBe(oid);
    expect(toInsOid(`urn:oid:${oid}`)).toBe(oid);
    expect(toInsOid(` URN:OID:${oid} `)).toBe(oid);
  });

  it.each(['1.2.250.1.213.1.4.1', '1.2.250.1.213.1.4.2', '1.2.250.1.213.1.4.12', '', 'urn:oid:', '1.2.250.1.213.1.4'])(
    'rejects %j',
    (oid) => {
      expect(toInsOid(oid)).toBeUndefined();
    },
  );
});

describe('parseMatricule', () => {
  it.each([INS_OID.NIR, INS_OID.TEST, INS_OID.DEMO])('reads a NIR under %s, not temporary', (oid) => {
    const result = parseMatricule('1 84 12 76 451 089 46', oid);
    expect(result.ok && result.nir).toMatchObject({ value: NIR, temporary: false });
  });

  it('reads a NIA under .9, temporary', () => {
    const result = parseMatricule(NIR, INS_OID.NIA);
    expect(result.ok && result.nir).toMatchObject({ value: NIR, temporary: true });
  });

  it('accepts the urn:oid form', () => {
    expect(parseMatricule(NIR, `urn:oid:${INS_OID.NIA}`)).toMatchObject({ ok: true, nir: { temporary: true } });
  });

  it('rejects an unknown OID, listing the INS OIDs', () => {
    const expected = '1.2.250.1.213.1.4.8, 1.2.250.1.213.1.4.9, 1.2.250.1.213.1.4.10, 1.2.250.1.213.1.4.11';
    expect(parseMatricule(NIR, '1.2.250.1.213.1.4.1')).toEqual({
      ok: false,
      error: `OID 1.2.250.1.213.1.4.1 is not an INS OID (expected ${expected})`,
    });
  });

  it('passes on the NIR errors, naming a NIA as such', () => {
    expect(parseMatricule('184127645108912', INS_OID.NIR)).toEqual({ ok: false, error: 'NIR key is 12, expected 46' });
    expect(parseMatricule('184127645108912', INS_OID.NIA)).toEqual({ ok: false, error: 'NIA key is 12, expected 46' });
    expect(parseMatricule('18412', INS_OID.NIA)).toEqual({ ok: false, error: 'NIA must have 15 characters, got 5' });
  });

  it('rejects an NNP: it is not a matricule INS', () => {
    expect(parseMatricule('7113112345678', INS_OID.NIR).ok).toBe(false);
  });

  it('agrees with makeNir for every OID; temporary exactly under .9', () => {
    const parts = fc.record({
      sex: fc.constantFrom<NirSex>('1', '2'),
      birthYear: fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, '0')),
      birthMonth: fc.integer({ min: 1, max: 12 }).map((n) => String(n).padStart(2, '0')),
      department: fc.integer({ min: 1, max: 95 }).map((n) => String(n).padStart(2, '0')),
      commune: fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')),
      order: fc.integer({ min: 1, max: 999 }).map((n) => String(n).padStart(3, '0')),
    });
    fc.assert(
      fc.property(parts, fc.constantFrom(...Object.values(INS_OID)), (p, oid) => {
        const result = parseMatricule(makeNir(p), oid);
        expect(result.ok && result.nir.temporary).toBe(oid === INS_OID.NIA);
      }),
    );
  });
});
