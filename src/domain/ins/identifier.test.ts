import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { INS_TYPE_CODE, INS_TYPE_SYSTEM, insIdentifier } from './identifier.js';
import { INS_OID, type InsOid } from './ins.js';

const NIR = '184127645108946';

describe('insIdentifier', () => {
  it('builds the INS-NIR identifier', () => {
    expect(insIdentifier('1 84 12 76 451 089 46', INS_OID.NIR)).toEqual({
      use: 'official',
      type: { coding: [{ system: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203', code: 'INS-NIR' }] },
      system: 'urn:oid:1.2.250.1.213.1.4.8',
      value: NIR,
    });
  });

  it.each<[InsOid, string, string]>([
    [INS_OID.NIR, 'INS-NIR', 'official'],
    [INS_OID.NIA, 'INS-NIA', 'temp'],
    [INS_OID.TEST, 'INS-NIR-TEST', 'official'],
    [INS_OID.DEMO, 'INS-NIR-DEMO', 'official'],
  ])('%s has code %s and use %s', (oid, code, use) => {
    const identifier = insIdentifier(NIR, oid);
    expect(identifier.type.coding).toEqual([{ system: INS_TYPE_SYSTEM, code }]);
    expect(identifier.use).toBe(use);
    expect(identifier.system).toBe(`urn:oid:${oid}`);
  });

  it('uses "old" for a deactivated INS', () => {
    expect(insIdentifier(NIR, INS_OID.NIR, { deactivated: true }).use).toBe('old');
    expect(insIdentifier(NIR, INS_OID.NIA, { deactivated: true }).use).toBe('old');
    expect(insIdentifier(NIR, INS_OID.NIA, { deactivated: false }).use).toBe('temp');
  });

  it('upper-cases Corsica and strips spaces', () => {
    expect(insIdentifier('2 84 05 2a 321 025 52', INS_OID.NIR).value).toBe('284052A32102552');
  });

  it('throws a RangeError on an invalid matricule', () => {
    expect(() => insIdentifier('184127645108912', INS_OID.NIR)).toThrow(new RangeError('NIR key is 12, expected 46'));
    expect(() => insIdentifier('', INS_OID.NIA)).toThrow(RangeError);
  });

  it('has one distinct code per OID', () => {
    expect(Object.keys(INS_TYPE_CODE).sort()).toEqual(Object.values(INS_OID).sort());
    expect(new Set(Object.values(INS_TYPE_CODE)).size).toBe(4);
    fc.assert(
      fc.property(fc.constantFrom(...Object.values(INS_OID)), (oid) => {
        expect(insIdentifier(NIR, oid).type.coding[0].code).toBe(INS_TYPE_CODE[oid]);
      }),
    );
  });
});
