import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IDENTITY_STATUSES, INS_OID, carriesIns, insSystem, type IdentityStatus, type InsTraits } from './ins.js';
import * as barrel from './index.js';

describe('INS OIDs', () => {
  it('matches the FR Core table', () => {
    expect(INS_OID).toEqual({
      NIR: '1.2.250.1.213.1.4.8',
      NIA: '1.2.250.1.213.1.4.9',
      TEST: '1.2.250.1.213.1.4.10',
      DEMO: '1.2.250.1.213.1.4.11',
    });
  });

  it('gives the urn:oid system of each OID', () => {
    expect(insSystem(INS_OID.NIR)).toBe('urn:oid:1.2.250.1.213.1.4.8');
    expect(insSystem(INS_OID.NIA)).toBe('urn:oid:1.2.250.1.213.1.4.9');
    expect(insSystem(INS_OID.TEST)).toBe('urn:oid:1.2.250.1.213.1.4.10');
    expect(insSystem(INS_OID.DEMO)).toBe('urn:oid:1.2.250.1.213.1.4.11');
  });

  it('has four distinct OIDs', () => {
    expect(new Set(Object.values(INS_OID)).size).toBe(4);
  });
});

describe('identity status', () => {
  it.each<[IdentityStatus, boolean]>([
    ['PROV', false],
    ['VALI', false],
    ['RECUP', false],
    ['QUAL', true],
  ])('%s carries the INS: %s', (status, expected) => {
    expect(carriesIns(status)).toBe(expected);
  });

  it('lists exactly the four statuses, only QUAL carrying the INS', () => {
    expect(IDENTITY_STATUSES).toEqual(['PROV', 'VALI', 'RECUP', 'QUAL']);
    fc.assert(
      fc.property(fc.constantFrom(...IDENTITY_STATUSES), (status) => {
        expect(carriesIns(status)).toBe(status === 'QUAL');
      }),
    );
  });
});

describe('InsTraits', () => {
  it('describes the strict traits', () => {
    const traits: InsTraits = {
      birthName: 'MARTIN',
      firstGivenName: 'Jeanne',
      givenNames: ['Jeanne', 'Marie'],
      birthDate: '1984-12-03',
      sex: 'F',
      birthPlaceCode: '76451',
    };
    expect(traits.givenNames[0]).toBe(traits.firstGivenName);
  });
});

describe('index', () => {
  it('re-exports every INS module', () => {
    expect(Object.keys(barrel).sort()).toEqual(
      [
        // nir.ts, ins.ts
        'IDENTITY_STATUSES',
        'INS_OID',
        'carriesIns',
        'insSystem',
        'makeNir',
        'nirKey',
        'parseNir',
        // nnp.ts, matricule.ts, identifier.ts
        'parseNnp',
        'parseMatricule',
        'toInsOid',
        'INS_TYPE_SYSTEM',
        'INS_TYPE_CODE',
        'insIdentifier',
        // traits.ts
        'MAX_NAME_LENGTH',
        'checkInsName',
        'isBirthPlaceCode',
        'validateTraits',
        'nirMatchesTraits',
        // calendar.ts, age.ts
        'isLeapYear',
        'daysInMonth',
        'parseCalendarDate',
        'isCalendarDate',
        'formatCalendarDate',
        'calendarDateOf',
        'compareCalendarDates',
        'MAJORITY_AGE',
        'ageOn',
        'anniversary',
        'majorityDate',
        'isOfAge',
      ].sort(),
    );
  });
});
