import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  acrSatisfies,
  mapPscClaims,
  practiceOf,
  professionalDisplayName,
  pscClaimsFromDirectory,
  situationsFor,
  splitIdNat,
  type DirectoryRole,
  type PscIdentity,
} from './psc-claims.js';

/**
 * A userinfo answer in the shape of the PSC sandbox's (domain.md §1.4: every field of the published test
 * fixture, with values of our own): a pédicure-podologue with one liberal activity, and a sandbox-style
 * SubjectNameID that is not '8' + RPPS.
 */
function sandboxUserinfo(): Record<string, unknown> {
  return {
    Secteur_Activite: 'SA07^1.2.250.1.71.4.2.4',
    sub: 'f:1b6f8a52-0c1e-4a57-9d5e-3f2a7c9e8b10:ANS20240315101010',
    codeGenreActivite: 'GENR01',
    SubjectOrganization: 'CABINET DE PODOLOGIE DU PORT',
    Mode_Acces_Raison: '',
    preferred_username: 'ANS20240315101010',
    codeCivilite: 'MME',
    given_name: 'Maëlle',
    Acces_Regulation_Medicale: 'FAUX',
    UITVersion: '1.0',
    Palier_Authentification: 'APPPRIP3^1.2.250.1.213.1.5.1.1.1',
    SubjectRefPro: {
      exercices: [
        {
          codeProfession: '80',
          codeCategorieProfessionnelle: 'C',
          codeCiviliteDexercice: '',
          nomDexercice: 'Quéméner',
          prenomDexercice: 'Maëlle',
          codeTypeSavoirFaire: '',
          codeSavoirFaire: '',
          activities: [
            {
              codeModeExercice: 'L',
              codeSecteurDactivite: 'SA07',
              codeSectionPharmacien: '',
              codeRole: '',
              codeGenreActivite: 'GENR01',
              numeroSiretSite: '',
              numeroSirenSite: '',
              numeroFinessSite: '',
              numeroFinessetablissementJuridique: '',
              identifiantTechniqueDeLaStructure: 'R10042',
              raisonSocialeSite: 'CABINET DE PODOLOGIE DU PORT',
              enseigneCommercialeSite: '',
              complementDestinataire: 'CABINET DE PODOLOGIE',
              complementPointGeographique: '',
              numeroVoie: '14',
              indiceRepetitionVoie: '',
              codeTypeDeVoie: 'QUAI',
              libelleVoie: 'DES ARMATEURS',
              mentionDistribution: '',
              bureauCedex: '29200 BREST',
              codePostal: '29200',
              codeCommune: '',
              codePays: '99000',
              telephone: '',
              telephone2: '',
              telecopie: '',
              adresseEMail: '',
              codeDepartement: '',
              ancienIdentifiantDeLaStructure: '429900042000017',
              autoriteDenregistrement: 'CNOPP/CNOPP/CNOPP',
            },
          ],
        },
      ],
    },
    SubjectOrganizationID: 'R10042',
    SubjectRole: ['80^1.2.250.1.213.1.1.5.5'],
    PSI_Locale: '1.2.250.1.213.1.3.1.1',
    otherIds: [{ identifiant: 'ANS20240315101010', origine: 'EDIT', qualite: 1 }],
    SubjectNameID: 'ANS20240315101010',
    family_name: 'Quéméner',
  };
}

describe('mapPscClaims: the sandbox payload', () => {
  it('reads the national id, the names and the exercice with its activity', () => {
    const m = mapPscClaims(sandboxUserinfo());
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.identity).toEqual({
      sub: 'f:1b6f8a52-0c1e-4a57-9d5e-3f2a7c9e8b10:ANS20240315101010',
      idNat: 'ANS20240315101010',
      givenName: 'Maëlle',
      familyName: 'Quéméner',
      civilityCode: 'MME',
      exercices: [
        {
          professionCode: '80',
          categoryCode: 'C',
          familyName: 'Quéméner',
          givenName: 'Maëlle',
          activities: [{ structureId: 'R10042', organizationName: 'CABINET DE PODOLOGIE DU PORT', modeCode: 'L', sectorCode: 'SA07', postalCode: '29200' }],
        },
      ],
    });
    // a sandbox identity is not '8' + RPPS: no RPPS is made up
    expect(m.identity.rpps).toBeUndefined();
  });

  it("splits a production IdNat_PS: '8' + RPPS, '0' + ADELI", () => {
    const claims = { ...sandboxUserinfo(), SubjectNameID: '810001234567' };
    const m = mapPscClaims(claims);
    expect(m.ok && m.identity).toMatchObject({ idNat: '810001234567', rpps: '10001234567' });
    expect(splitIdNat('0751234567')).toEqual({ adeli: '751234567' });
    expect(splitIdNat('81000123456')).toEqual({});
    expect(splitIdNat('ANS2024')).toEqual({});
  });

  it('takes the practice civility (DR) from the exercices, and the names from them when given_name is absent', () => {
    const claims = sandboxUserinfo();
    const ex = (claims.SubjectRefPro as { exercices: Record<string, unknown>[] }).exercices[0]!;
    ex.codeCiviliteDexercice = 'DR';
    delete claims.given_name;
    delete claims.family_name;
    const m = mapPscClaims(claims);
    expect(m.ok && m.identity).toMatchObject({ practiceCivilityCode: 'DR', givenName: 'Maëlle', familyName: 'Quéméner' });
  });

  it('refuses claims without a usable SubjectNameID or sub', () => {
    const c = sandboxUserinfo();
    delete c.SubjectNameID;
    expect(mapPscClaims(c)).toEqual({ ok: false, reason: 'SubjectNameID is missing' });
    expect(mapPscClaims({ ...sandboxUserinfo(), SubjectNameID: '  ' }).ok).toBe(false);
    expect(mapPscClaims({ ...sandboxUserinfo(), SubjectNameID: 42 }).ok).toBe(false);
    expect(mapPscClaims({ ...sandboxUserinfo(), SubjectNameID: '8100/../1' }).ok).toBe(false);
    expect(mapPscClaims({ ...sandboxUserinfo(), sub: undefined }).ok).toBe(false);
  });

  it('ignores malformed exercices and activities rather than failing', () => {
    const m = mapPscClaims({
      sub: 's',
      SubjectNameID: '810001234567',
      SubjectRefPro: { exercices: [null, 'x', { codeProfession: '' }, { codeProfession: '10', activities: [1, null, { identifiantTechniqueDeLaStructure: 'S1' }] }] },
    });
    expect(m.ok && m.identity.exercices).toEqual([{ professionCode: '10', activities: [{ structureId: 'S1' }] }]);
    expect(mapPscClaims({ sub: 's', SubjectNameID: '810001234567', SubjectRefPro: 'nope' })).toMatchObject({ ok: true, identity: { exercices: [] } });
  });

  it('never throws, whatever the claims', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue(), (claims, refPro) => {
        const m = mapPscClaims({ ...claims, SubjectRefPro: refPro });
        if (m.ok) expect(typeof m.identity.idNat).toBe('string');
      }),
    );
  });
});

describe('acrSatisfies', () => {
  it('accepts the requested level or a stronger one, refuses a weaker, missing or unknown one', () => {
    expect(acrSatisfies('eidas1', 'eidas1')).toBe(true);
    expect(acrSatisfies('eidas2', 'eidas1')).toBe(true);
    expect(acrSatisfies('eidas3', 'eidas2')).toBe(true);
    expect(acrSatisfies('eidas1', 'eidas2')).toBe(false);
    expect(acrSatisfies('eidas0', 'eidas1')).toBe(false);
    expect(acrSatisfies(undefined, 'eidas1')).toBe(false);
    expect(acrSatisfies('', 'eidas1')).toBe(false);
    expect(acrSatisfies('EIDAS1', 'eidas1')).toBe(false);
    expect(acrSatisfies(['eidas1'], 'eidas1')).toBe(false);
    expect(acrSatisfies('eidas1', 'eidas9')).toBe(false);
  });
});

const role = (id: string, over: Partial<DirectoryRole> = {}): DirectoryRole => ({ id, professionCode: '10', professionLabel: 'Médecin', ...over });

describe('situations', () => {
  const identity = (structureIds: string[], professionCode = '10'): PscIdentity => ({
    sub: 's',
    idNat: '810001234567',
    exercices: [{ professionCode, activities: structureIds.map((structureId) => ({ structureId })) }],
  });

  it("puts the situations PSC's activities name first, each group in id order", () => {
    const roles = [role('r3', { organizationId: 'A' }), role('r1', { organizationId: 'B' }), role('r2', { organizationId: 'C' })];
    expect(situationsFor(roles, identity(['C'])).map((s) => s.roleId)).toEqual(['r2', 'r1', 'r3']);
    expect(situationsFor(roles, identity([])).map((s) => s.roleId)).toEqual(['r1', 'r2', 'r3']);
    // same structure but another profession: not named
    expect(situationsFor(roles, identity(['C'], '21')).map((s) => s.roleId)).toEqual(['r1', 'r2', 'r3']);
  });

  it('a situation becomes the session practice, without empty fields', () => {
    const [s] = situationsFor([role('r1', { skillCode: 'SM26', skillLabel: 'Qualifié en médecine générale', organizationId: 'O1', organizationName: 'MSP', city: 'Paris' })], identity([]));
    expect(s).toEqual({ roleId: 'r1', professionCode: '10', professionLabel: 'Médecin', skillCode: 'SM26', skillLabel: 'Qualifié en médecine générale', organizationId: 'O1', organizationName: 'MSP', city: 'Paris' });
    expect(practiceOf(s!, '810001234567')).toEqual({
      roleId: 'r1',
      practitionerId: '810001234567',
      professionCode: '10',
      professionLabel: 'Médecin',
      skillCode: 'SM26',
      skillLabel: 'Qualifié en médecine générale',
      organizationId: 'O1',
      organizationName: 'MSP',
    });
    expect(practiceOf({ roleId: 'r2', professionCode: '21' }, '8x')).toEqual({ roleId: 'r2', practitionerId: '8x', professionCode: '21' });
  });

  it('names professionals with their practice title', () => {
    expect(professionalDisplayName({ given: 'Claire', family: 'Durand', practiceCivilityCode: 'DR' })).toBe('Dr Claire Durand');
    expect(professionalDisplayName({ given: 'Claire', family: 'Durand', practiceCivilityCode: 'dr' })).toBe('Dr Claire Durand');
    expect(professionalDisplayName({ given: 'Antoine', family: 'Leroy' })).toBe('Antoine Leroy');
  });
});

describe('pscClaimsFromDirectory', () => {
  const practitioner = { id: '810001234567', civilityCode: 'MME', practiceCivilityCode: 'DR', family: 'Durand', given: 'Claire' };
  const roles = [
    role('r1', { skillCode: 'SM26', skillTypeCode: 'S', categoryCode: 'C', modeCode: 'L', sectorCode: 'SA07', organizationId: 'O1', organizationName: 'MSP Belleville', finessSite: '750041234', postalCode: '75020', city: 'Paris' }),
    role('r2', { skillCode: 'SM26', skillTypeCode: 'S', categoryCode: 'C', modeCode: 'S', sectorCode: 'SA01', organizationId: 'O2', organizationName: 'CH Paris-Est' }),
    role('r3', { professionCode: '21', professionLabel: 'Pharmacien', organizationId: 'O3', organizationName: 'Pharmacie' }),
  ];

  it('builds PSC-shaped claims: one exercice per profession and specialty, one activity per situation', () => {
    const claims = pscClaimsFromDirectory(practitioner, roles);
    expect(claims).toMatchObject({ sub: '810001234567', SubjectNameID: '810001234567', given_name: 'Claire', family_name: 'Durand', codeCivilite: 'MME' });
    const exercices = (claims.SubjectRefPro as { exercices: { codeProfession: string; codeSavoirFaire: string; activities: { identifiantTechniqueDeLaStructure: string }[] }[] }).exercices;
    expect(exercices.map((e) => [e.codeProfession, e.codeSavoirFaire, e.activities.map((a) => a.identifiantTechniqueDeLaStructure)])).toEqual([
      ['10', 'SM26', ['O1', 'O2']],
      ['21', '', ['O3']],
    ]);
  });

  it('round-trips: mapping the built claims gives back the identity, and every situation is named', () => {
    const m = mapPscClaims(pscClaimsFromDirectory(practitioner, roles));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.identity).toMatchObject({ idNat: '810001234567', rpps: '10001234567', givenName: 'Claire', familyName: 'Durand', practiceCivilityCode: 'DR' });
    expect(m.identity.exercices[0]!.activities[0]).toEqual({ structureId: 'O1', organizationName: 'MSP Belleville', finessSite: '750041234', modeCode: 'L', sectorCode: 'SA07', postalCode: '75020' });
    // with an unnamed extra role, the named ones come first
    expect(situationsFor([role('r0', { organizationId: 'ZZ' }), ...roles], m.identity).map((s) => s.roleId)).toEqual(['r1', 'r2', 'r3', 'r0']);
  });
});
