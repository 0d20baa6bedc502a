import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeNir, nirKey } from '../ins/nir.js';
import { domainOf, isAddress, matriculeOf, normalizeAddress, patientAddress, patientDomain, PRO_MAILBOX_KINDS } from './addresses.js';
import { digits, partsArb } from '../../../test/support/nir-arbitraries.js';

// ---------------------------------------------------------------------------------------------
// Generators: valid matricules INS built with makeNir (as src/domain/ins/nir.test.ts does), and domains

/** A valid matricule INS: 15 characters, a NIR with its key (2A/2B upper-case). */
const matriculeArb = partsArb.map(makeNir);
/** A Corsican one, 2A or 2B at positions 6–7. */
const corsicanArb = fc
  .tuple(partsArb, fc.constantFrom('2A', '2B', '2a', '2b'), digits(3))
  .map(([parts, department, commune]) => makeNir({ ...parts, department, commune }));

/** An operator domain, in any case: a few labels, the last one alphabetic. */
const domainArb = fc
  .tuple(fc.array(fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,12}[a-z0-9])?$/), { minLength: 1, maxLength: 3 }), fc.stringMatching(/^[a-z]{2,6}$/), fc.array(fc.boolean(), { maxLength: 40 }))
  .map(([labels, tld, upper]) =>
    [...[...labels, tld].join('.')].map((c, i) => (upper[i % Math.max(upper.length, 1)] ? c.toUpperCase() : c)).join(''),
  );

const CORSICAN = '284052A32102552';
const CORSICAN_B = '284052B32102579';
const METROPOLITAN = '184127645108946';

describe('isAddress', () => {
  it.each([
    'dr.martin@hopital.mssante.fr',
    'secretariat-cardio@ch-lyon.mssante.fr',
    `${METROPOLITAN}@patient.carnet.fr`,
    `${CORSICAN}@patient.carnet.fr`,
    "o'brien+tag@x.fr",
    'A.B_C@Sub.Domain.EXAMPLE',
    'a@b.c',
  ])('accepts %s', (address) => {
    expect(isAddress(address)).toBe(true);
  });

  it.each([
    '',
    'no-at-sign',
    'a@localhost',
    '@x.fr',
    'a@',
    'a@.fr',
    'a@x.',
    'a..b@x.fr',
    'a@x..fr',
    'a b@x.fr',
    'a@x_y.fr',
    'é@x.fr',
    'a@b@x.fr',
    ' a@x.fr',
    'a@x.fr ',
  ])('refuses %j', (address) => {
    expect(isAddress(address)).toBe(false);
  });

  it('allows a local part of 64 characters, not 65', () => {
    expect(isAddress(`${'a'.repeat(64)}@x.fr`)).toBe(true);
    expect(isAddress(`${'a'.repeat(65)}@x.fr`)).toBe(false);
  });

  it('allows a domain label of 63 characters, not 64', () => {
    expect(isAddress(`a@${'b'.repeat(63)}.fr`)).toBe(true);
    expect(isAddress(`a@${'b'.repeat(64)}.fr`)).toBe(false);
  });

  it('allows 254 characters in all, not 255', () => {
    const at254 = `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    expect(at254).toHaveLength(254);
    expect(isAddress(at254)).toBe(true);
    const at255 = `${at254}d`;
    expect(at255).toHaveLength(255);
    expect(isAddress(at255)).toBe(false);
  });

  // RFC 5321: Dot-string = Atom *("." Atom), no leading or trailing dot
  it('refuses a local part that begins or ends with a dot (RFC 5321 Dot-string)', () => {
    expect(isAddress('.a@x.fr')).toBe(false);
    expect(isAddress('a.@x.fr')).toBe(false);
  });

  // RFC 5321 sub-domain = Let-dig [Ldh-str], RFC 1035
  it('refuses a domain label that begins or ends with a hyphen (RFC 5321 sub-domain)', () => {
    expect(isAddress('a@-x.fr')).toBe(false);
    expect(isAddress('a@x-.fr')).toBe(false);
  });

  it('accepts every patient address (property)', () => {
    fc.assert(
      fc.property(matriculeArb, domainArb, (matricule, domain) => {
        expect(isAddress(patientAddress(matricule, domain))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('normalizeAddress', () => {
  it('trims and lower-cases', () => {
    expect(normalizeAddress('  Dr.Martin@Hopital.MSSante.FR \n')).toBe('dr.martin@hopital.mssante.fr');
    expect(normalizeAddress(`${CORSICAN}@Patient.Carnet.fr`)).toBe('284052a32102552@patient.carnet.fr');
  });

  it('is idempotent, and makes addresses that differ only by case and surrounding spaces equal (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.constantFrom('', ' ', '\t', ' \n'), (s, space) => {
        const n = normalizeAddress(s);
        expect(normalizeAddress(n)).toBe(n);
        expect(normalizeAddress(`${space}${s.toUpperCase()}${space}`)).toBe(normalizeAddress(s.toUpperCase()));
      }),
      { numRuns: 200 },
    );
  });
});

describe('patientDomain and patientAddress', () => {
  it('puts the patients under patient.<domain>, lower-cased', () => {
    expect(patientDomain('Carnet.FR')).toBe('patient.carnet.fr');
    expect(patientAddress(METROPOLITAN, 'carnet.fr')).toBe(`${METROPOLITAN}@patient.carnet.fr`);
    expect(patientAddress(CORSICAN, 'Carnet.FR')).toBe(`${CORSICAN}@patient.carnet.fr`);
  });

  it('knows the four professional mailbox kinds', () => {
    expect([...PRO_MAILBOX_KINDS]).toEqual(['PER', 'ORG', 'APP', 'CAB']);
  });
});

describe('matriculeOf', () => {
  it('reads the matricule of a patient address', () => {
    expect(matriculeOf(`${METROPOLITAN}@patient.carnet.fr`, 'carnet.fr')).toBe(METROPOLITAN);
  });

  it('reads Corsican matricules (2A, 2B), upper-cased whatever the case of the address', () => {
    expect(matriculeOf(`${CORSICAN}@patient.carnet.fr`, 'carnet.fr')).toBe(CORSICAN);
    expect(matriculeOf('284052a32102552@patient.carnet.fr', 'carnet.fr')).toBe(CORSICAN);
    expect(matriculeOf(`${CORSICAN_B}@patient.carnet.fr`, 'carnet.fr')).toBe(CORSICAN_B);
    expect(matriculeOf('284052b32102579@PATIENT.CARNET.FR', 'carnet.fr')).toBe(CORSICAN_B);
  });

  it('compares the domain without case, and ignores surrounding spaces', () => {
    expect(matriculeOf(`${METROPOLITAN}@Patient.Carnet.FR`, 'carnet.fr')).toBe(METROPOLITAN);
    expect(matriculeOf(`${METROPOLITAN}@patient.carnet.fr`, 'CARNET.fr')).toBe(METROPOLITAN);
    expect(matriculeOf(`  ${METROPOLITAN}@patient.carnet.fr \n`, 'carnet.fr')).toBe(METROPOLITAN);
  });

  it.each([
    ['the operator domain itself', `${METROPOLITAN}@carnet.fr`],
    ['another operator', `${METROPOLITAN}@patient.other.fr`],
    ['a sub-domain of the patients’ domain', `${METROPOLITAN}@x.patient.carnet.fr`],
    ['a domain that merely ends like it', `${METROPOLITAN}@patient.carnet.fr.evil.com`],
    ['a domain that merely contains it', `${METROPOLITAN}@mypatient.carnet.fr`],
    ['no domain', METROPOLITAN],
    ['an empty domain', `${METROPOLITAN}@`],
  ])('names nobody for %s', (_what, address) => {
    expect(matriculeOf(address, 'carnet.fr')).toBeUndefined();
  });

  it.each([
    ['14 characters', METROPOLITAN.slice(0, 14)],
    ['16 characters', `${METROPOLITAN}0`],
    ['13 characters (no key)', METROPOLITAN.slice(0, 13)],
    ['an empty local part', ''],
    ['a letter outside the department', '18412764510894A'],
    ['another department letter', '284052C32102552'],
    ['a department 2A elsewhere', '2A4052032102552'],
    ['a first digit that is no sex nor NIA', '584127645108946'],
    ['spaces inside', '1 84 12 76 451 089 46'],
    ['a dot', '18412.645108946'],
    ['a plus tag', `${METROPOLITAN}+x`],
    ['two @', `${METROPOLITAN}@x`],
  ])('names nobody for a local part of %s', (_what, local) => {
    expect(matriculeOf(`${local}@patient.carnet.fr`, 'carnet.fr')).toBeUndefined();
  });

  it('does not check the key (the caller does)', () => {
    expect(matriculeOf('184127645108900@patient.carnet.fr', 'carnet.fr')).toBe('184127645108900');
  });

  it('gives back any valid matricule from its address (round trip, property)', () => {
    fc.assert(
      fc.property(fc.oneof(matriculeArb, corsicanArb), domainArb, (matricule, domain) => {
        expect(matricule).toHaveLength(15);
        expect(Number(matricule.slice(13))).toBe(nirKey(matricule.slice(0, 13)));
        const address = patientAddress(matricule, domain);
        expect(matriculeOf(address, domain)).toBe(matricule);
        // the domain and the address compare without case
        expect(matriculeOf(address.toUpperCase(), domain.toLowerCase())).toBe(matricule);
        expect(matriculeOf(address.toLowerCase(), domain.toUpperCase())).toBe(matricule);
      }),
      { numRuns: 300 },
    );
  });

  it('names nobody in another domain (property)', () => {
    fc.assert(
      fc.property(matriculeArb, domainArb, domainArb, (matricule, domain, other) => {
        fc.pre(domain.toLowerCase() !== other.toLowerCase());
        expect(matriculeOf(patientAddress(matricule, domain), other)).toBeUndefined();
        expect(matriculeOf(`${matricule}@${domain}`, domain)).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });

  it('names nobody when a character is dropped or added (property)', () => {
    fc.assert(
      fc.property(matriculeArb, fc.nat(14), fc.constantFrom(...'0123456789'), (matricule, at, digit) => {
        const shorter = matricule.slice(0, at) + matricule.slice(at + 1);
        const longer = matricule.slice(0, at) + digit + matricule.slice(at);
        expect(matriculeOf(`${shorter}@patient.carnet.fr`, 'carnet.fr')).toBeUndefined();
        expect(matriculeOf(`${longer}@patient.carnet.fr`, 'carnet.fr')).toBeUndefined();
      }),
      { numRuns: 200 },
    );
  });
});

describe('domainOf', () => {
  it('gives the domain of an address, lower-cased and trimmed', () => {
    expect(domainOf('Dr.Martin@Hopital.MSSante.FR')).toBe('hopital.mssante.fr');
    expect(domainOf(' a@b.fr ')).toBe('b.fr');
    expect(domainOf(`${CORSICAN}@patient.carnet.fr`)).toBe('patient.carnet.fr');
  });

  it('takes what follows the last @, and nothing without one', () => {
    expect(domainOf('"a@b"@c.fr')).toBe('c.fr');
    expect(domainOf('nope')).toBe('');
  });

  it('gives the patients’ domain of any patient address (property)', () => {
    fc.assert(
      fc.property(matriculeArb, domainArb, (matricule, domain) => {
        expect(domainOf(patientAddress(matricule, domain))).toBe(patientDomain(domain));
        expect(domainOf(patientAddress(matricule, domain).toUpperCase())).toBe(domain.toLowerCase().replace(/^/, 'patient.'));
      }),
      { numRuns: 100 },
    );
  });
});
