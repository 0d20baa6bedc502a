import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FHIR_ID } from './codes.js';
import { ACTIVITY_HEADER, MAILBOX_HEADER, parseDirectoryHeader, type ActivityColumns, type MailboxColumns } from './columns.js';
import { luhnCheckDigit, makeRpps } from './luhn.js';
import { identifierError, mapActivityLine, mapMailboxLine, organizationIdOf, roleIdOf, searchKey } from './records.js';

const ACTIVITY = (() => {
  const r = parseDirectoryHeader(`${ACTIVITY_HEADER.join('|')}|`);
  if (!r.ok || r.kind !== 'activities') throw new Error('header');
  return r.columns as ActivityColumns;
})();
const MAILBOX = (() => {
  const r = parseDirectoryHeader(`${MAILBOX_HEADER.join('|')}|`);
  if (!r.ok || r.kind !== 'mailboxes') throw new Error('header');
  return r.columns as MailboxColumns;
})();

const RPPS = makeRpps('1000123456');

/** A line of the activity file from values by column name. */
function activity(values: Record<string, string> = {}): string {
  const base: Record<string, string> = {
    "Type d'identifiant PP": '8',
    'Identifiant PP': RPPS,
    'Identification nationale PP': `8${RPPS}`,
    "Code civilité d'exercice": 'DR',
    'Code civilité': 'MME',
    "Nom d'exercice": 'Lefèvre',
    "Prénom d'exercice": 'Émilie',
    'Code profession': '10',
    'Libellé profession': 'Médecin',
    'Code catégorie professionnelle': 'C',
    'Libellé catégorie professionnelle': 'Civil',
    'Code type savoir-faire': 'S',
    'Libellé type savoir-faire': 'Spécialité ordinale',
    'Code savoir-faire': 'SM53',
    'Libellé savoir-faire': 'Spécialiste en Médecine Générale',
    'Code mode exercice': 'L',
    'Libellé mode exercice': 'Libéral, indépendant, artisan, commerçant',
    'Numéro FINESS site': '250000015',
    'Identifiant technique de la structure': 'C25000001500012',
    'Raison sociale site': 'Maison de santé des Chaprais',
    'Enseigne commerciale site': 'MSP Chaprais',
    'Numéro Voie (coord. structure)': '12',
    'Indice répétition voie (coord. structure)': 'B',
    'Libellé type de voie (coord. structure)': 'Rue',
    'Libellé Voie (coord. structure)': 'de Belfort',
    'Mention distribution (coord. structure)': 'BP 12',
    'Code postal (coord. structure)': '25000',
    'Code commune (coord. structure)': '25056',
    'Libellé commune (coord. structure)': 'Besançon',
    'Téléphone (coord. structure)': '0381000000',
    'Code Département (structure)': '25',
    "Code secteur d'activité": 'SA08',
    "Libellé secteur d'activité": 'Cabinet de groupe',
    "Autorité d'enregistrement": 'CNOM/CNOM/CNOM',
  };
  const all = { ...base, ...values };
  return `${ACTIVITY_HEADER.map((h) => all[h] ?? '').join('|')}|`;
}

function mailbox(values: Record<string, string> = {}): string {
  const all: Record<string, string> = {
    'Type de BAL': 'PER',
    'Adresse BAL': 'emilie.lefevre@medecin.mssante.fr',
    'Type Identifiant PP': '8',
    'Identifiant PP': RPPS,
    'Identification nationale PP': `8${RPPS}`,
    'Code Profession': '10',
    'Code postal': '25000',
    L6LIGNEACHEMINEMENT: '25000 BESANCON',
    ...values,
  };
  return `${MAILBOX_HEADER.map((h) => all[h] ?? '').join('|')}|`;
}

describe('mapActivityLine', () => {
  it('maps a line to the professional, the structure and the practice situation', () => {
    const r = mapActivityLine(activity(), ACTIVITY);
    if (!r.ok) throw new Error(r.reason);
    expect(r.practitioner).toEqual({ id: `8${RPPS}`, idType: '8', identifier: RPPS, civilityCode: 'MME', practiceCivilityCode: 'DR', family: 'Lefèvre', given: 'Émilie' });
    expect(r.organization).toMatchObject({
      id: 'C25000001500012',
      finessSite: '250000015',
      name: 'Maison de santé des Chaprais',
      tradeName: 'MSP Chaprais',
      addressLines: ['12 B Rue de Belfort', 'BP 12'],
      postalCode: '25000',
      cityCode: '25056',
      city: 'Besançon',
      phone: '0381000000',
      siret: null,
      sectorCode: 'SA08',
    });
    expect(r.role).toMatchObject({
      practitionerId: `8${RPPS}`,
      organizationId: 'C25000001500012',
      professionCode: '10',
      skillCode: 'SM53',
      skillTypeCode: 'S',
      modeCode: 'L',
      familyKey: 'lefevre',
      givenKey: 'emilie',
      cityKey: 'besancon',
      postalCode: '25000',
      roleCode: null,
      registrationAuthority: 'CNOM/CNOM/CNOM',
    });
    expect(r.role.id.startsWith(`8${RPPS}-`)).toBe(true);
    expect(r.role.id).toMatch(FHIR_ID);
  });

  it('rejects the lines the import must not load, with the reason', () => {
    const reason = (values: Record<string, string>) => {
      const r = mapActivityLine(activity(values), ACTIVITY);
      return r.ok ? undefined : r.reason;
    };
    const badKey = RPPS.slice(0, 10) + String((Number(RPPS[10]) + 1) % 10);
    expect(reason({ 'Identifiant PP': badKey, 'Identification nationale PP': `8${badKey}` })).toBe(`malformed RPPS '${badKey}': 11 digits with a valid Luhn key expected`);
    expect(reason({ 'Identifiant PP': '123', 'Identification nationale PP': '8123' })).toMatch(/^malformed RPPS '123'/);
    expect(reason({ "Type d'identifiant PP": '0', 'Identifiant PP': '75000123', 'Identification nationale PP': '075000123' })).toBe("malformed ADELI '75000123': 9 characters expected");
    expect(reason({ 'Identification nationale PP': RPPS })).toMatch(/^Identification nationale PP '.*' is not the identifier type followed by the identifier/);
    expect(reason({ "Type d'identifiant PP": '3', 'Identification nationale PP': `3${RPPS}` })).toBe("unknown identifier type '3' (8 for RPPS or 0 for ADELI expected)");
    expect(reason({ "Nom d'exercice": ' ' })).toBe("missing name (Nom d'exercice)");
    expect(reason({ 'Code profession': '' })).toBe('missing profession code (Code profession)');
    expect(mapActivityLine(activity().slice(0, -10), ACTIVITY)).toMatchObject({ ok: false, reason: expect.stringMatching(/^wrong number of fields: \d+ instead of 56$/) });
  });

  it('accepts ADELI numbers of 9 characters, Corsica included', () => {
    const r = mapActivityLine(activity({ "Type d'identifiant PP": '0', 'Identifiant PP': '2A0012345', 'Identification nationale PP': '02A0012345' }), ACTIVITY);
    expect(r).toMatchObject({ ok: true, practitioner: { id: '02A0012345', idType: '0' } });
  });

  it('names the structure by its trade name when it has no raison sociale, and derives its id when the technical one is absent', () => {
    const noName = mapActivityLine(activity({ 'Raison sociale site': '' }), ACTIVITY);
    expect(noName).toMatchObject({ ok: true, organization: { name: 'MSP Chaprais' } });
    const byFiness = mapActivityLine(activity({ 'Identifiant technique de la structure': '' }), ACTIVITY);
    expect(byFiness).toMatchObject({ ok: true, organization: { id: 'F250000015' }, role: { organizationId: 'F250000015' } });
    const none = mapActivityLine(activity({ 'Identifiant technique de la structure': '', 'Numéro FINESS site': '' }), ACTIVITY);
    expect(none).toMatchObject({ ok: true, organization: undefined, role: { organizationId: null, cityKey: '', postalCode: null } });
  });

  it('gives the same role id to the same situation, and another to another situation', () => {
    const id = (values: Record<string, string> = {}) => {
      const r = mapActivityLine(activity(values), ACTIVITY);
      if (!r.ok) throw new Error(r.reason);
      return r.role.id;
    };
    expect(id()).toBe(id());
    // what describes the structure or the person is not part of the situation's identity
    expect(id({ 'Téléphone (coord. structure)': '0399999999', "Nom d'exercice": 'Lefèvre-Martin' })).toBe(id());
    for (const column of ['Code profession', 'Code catégorie professionnelle', 'Code type savoir-faire', 'Code savoir-faire', 'Code mode exercice', 'Identifiant technique de la structure', 'Numéro FINESS site', 'Numéro SIRET site', 'Code rôle', 'Code genre activité']) {
      expect(id({ [column]: 'X1' }), column).not.toBe(id());
    }
  });
});

describe('identifiers', () => {
  it('every RPPS with its Luhn key is accepted, and any other last digit refused (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{10}$/), fc.integer({ min: 1, max: 9 }), (first10, shift) => {
        const rpps = first10 + luhnCheckDigit(first10);
        expect(identifierError('8', rpps, `8${rpps}`)).toBeUndefined();
        const wrong = first10 + String((luhnCheckDigit(first10) + shift) % 10);
        expect(identifierError('8', wrong, `8${wrong}`)).toMatch(/^malformed RPPS/);
        expect(identifierError('0', rpps, `0${rpps}`)).toMatch(/^malformed ADELI/);
      }),
    );
  });

  it('role ids are FHIR ids of at most 64 characters, whatever the columns (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 10, maxLength: 10 }), (v) => {
        const id = roleIdOf({ idnat: `8${RPPS}`, professionCode: v[0]!, categoryCode: v[1]!, skillTypeCode: v[2]!, skillCode: v[3]!, modeCode: v[4]!, structureId: v[5]!, finessSite: v[6]!, siret: v[7]!, roleCode: v[8]!, genreCode: v[9]! });
        expect(id).toMatch(FHIR_ID);
      }),
    );
  });

  it('organization ids are FHIR ids, even from an unusual technical id (property)', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), (structureId, finess, siret) => {
        const id = organizationIdOf(structureId, finess, siret);
        if (structureId === '' && finess === '' && siret === '') expect(id).toBeUndefined();
        else expect(id).toMatch(FHIR_ID);
      }),
    );
    expect(organizationIdOf('', '', '12345678900012')).toBe('S12345678900012');
    expect(organizationIdOf('R 10/1', '', '')).toMatch(/^X[0-9a-f]{24}$/);
  });
});

describe('searchKey', () => {
  it('drops accents, case, hyphens and apostrophes', () => {
    expect(searchKey('LEFÈVRE')).toBe('lefevre');
    expect(searchKey('Saint-Étienne')).toBe('saint etienne');
    expect(searchKey("D'Almeida")).toBe('d almeida');
    expect(searchKey('  Émilie   ')).toBe('emilie');
  });
});

describe('mapMailboxLine', () => {
  it('maps personal and organisational mailboxes', () => {
    expect(mapMailboxLine(mailbox(), MAILBOX)).toEqual({
      ok: true,
      mailbox: {
        address: 'emilie.lefevre@medecin.mssante.fr',
        kind: 'PER',
        practitionerId: `8${RPPS}`,
        organizationIdType: null,
        organizationId: null,
        service: null,
        professionCode: '10',
        skillCode: null,
        dematerialisation: null,
        organizationName: null,
        postalCode: '25000',
        cityLine: '25000 BESANCON',
      },
    });
    const org = mapMailboxLine(mailbox({ 'Type de BAL': 'ORG', 'Adresse BAL': 'accueil@msp.mssante.fr', 'Type Identifiant PP': '', 'Identifiant PP': '', 'Identification nationale PP': '', 'Raison Sociale structure BAL': 'MSP' }), MAILBOX);
    expect(org).toMatchObject({ ok: true, mailbox: { kind: 'ORG', practitionerId: null, organizationName: 'MSP' } });
    // hospital staff numbers (other identifier types) are kept as published
    expect(mapMailboxLine(mailbox({ 'Type Identifiant PP': '3', 'Identifiant PP': '750000001/1234', 'Identification nationale PP': '3750000001/1234' }), MAILBOX)).toMatchObject({ ok: true });
  });

  it('rejects a malformed address, an unknown type, a personal mailbox without its professional, and a bad RPPS', () => {
    expect(mapMailboxLine(mailbox({ 'Adresse BAL': 'not-an-address' }), MAILBOX)).toEqual({ ok: false, reason: "malformed mailbox address 'not-an-address'" });
    expect(mapMailboxLine(mailbox({ 'Type de BAL': '' }), MAILBOX)).toMatchObject({ ok: false, reason: expect.stringMatching(/^unknown mailbox type/) });
    expect(mapMailboxLine(mailbox({ 'Identification nationale PP': '' }), MAILBOX)).toEqual({ ok: false, reason: 'personal mailbox (PER) without Identification nationale PP' });
    expect(mapMailboxLine(mailbox({ 'Identifiant PP': '10001234567', 'Identification nationale PP': '810001234567' }), MAILBOX)).toMatchObject({ ok: false, reason: expect.stringMatching(/^malformed RPPS/) });
  });
});
