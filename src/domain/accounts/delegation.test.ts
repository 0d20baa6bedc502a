import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DELEGATION_PROBLEMS,
  MAX_CARERS,
  MAX_HELPED,
  checkCarerInvitation,
  hasRepresentativeAccess,
  matchesPerson,
  representativeAccessUntil,
  type CarerInvitationContext,
  type KnownPerson,
} from './delegation.js';

const OK: CarerInvitationContext = {
  carersOfHelped: 0,
  helpedByCarer: 0,
  sameExisting: false,
  pendingSame: false,
  selfInvite: false,
  carerActive: true,
};

describe('limits', () => {
  it('are 3 carers per person and 5 helped people per carer', () => {
    expect(MAX_CARERS).toBe(3);
    expect(MAX_HELPED).toBe(5);
  });
});

describe('checkCarerInvitation', () => {
  it('accepts a first invitation', () => {
    expect(checkCarerInvitation(OK)).toEqual([]);
  });

  it('allows up to 3 carers (accepted and pending)', () => {
    expect(checkCarerInvitation({ ...OK, carersOfHelped: 2 })).toEqual([]);
    expect(checkCarerInvitation({ ...OK, carersOfHelped: 3 })).toEqual(['delegation.outgoing-limit']);
    expect(checkCarerInvitation({ ...OK, carersOfHelped: 4 })).toEqual(['delegation.outgoing-limit']);
  });

  it('allows a carer up to 5 helped people', () => {
    expect(checkCarerInvitation({ ...OK, helpedByCarer: 4 })).toEqual([]);
    expect(checkCarerInvitation({ ...OK, helpedByCarer: 5 })).toEqual(['delegation.incoming-limit']);
  });

  it.each<[Partial<CarerInvitationContext>, string]>([
    [{ sameExisting: true }, 'delegation.exists'],
    [{ pendingSame: true }, 'delegation.invitation-exists'],
    [{ selfInvite: true }, 'delegation.self'],
    [{ carerActive: false }, 'delegation.invitee-not-active'],
  ])('%j → %s', (override, problem) => {
    expect(checkCarerInvitation({ ...OK, ...override })).toEqual([problem]);
  });

  it('reports every problem, in DELEGATION_PROBLEMS order', () => {
    const everything = { carersOfHelped: 3, helpedByCarer: 5, sameExisting: true, pendingSame: true, selfInvite: true };
    expect(checkCarerInvitation({ ...everything, carerActive: false })).toEqual([...DELEGATION_PROBLEMS]);
  });

  it('is exhaustive: each problem appears exactly when its condition holds', () => {
    const context = fc.record({
      carersOfHelped: fc.nat({ max: 10 }),
      helpedByCarer: fc.nat({ max: 10 }),
      sameExisting: fc.boolean(),
      pendingSame: fc.boolean(),
      selfInvite: fc.boolean(),
      carerActive: fc.boolean(),
    });
    fc.assert(
      fc.property(context, (c) => {
        const problems = checkCarerInvitation(c);
        expect(problems.includes('delegation.outgoing-limit')).toBe(c.carersOfHelped >= 3);
        expect(problems.includes('delegation.incoming-limit')).toBe(c.helpedByCarer >= 5);
        expect(problems.includes('delegation.exists')).toBe(c.sameExisting);
        expect(problems.includes('delegation.invitation-exists')).toBe(c.pendingSame);
        expect(problems.includes('delegation.self')).toBe(c.selfInvite);
        expect(problems.includes('delegation.invitee-not-active')).toBe(!c.carerActive);
        expect(problems).toEqual(DELEGATION_PROBLEMS.filter((p) => problems.includes(p)));
      }),
    );
  });
});

describe('representatives of a minor', () => {
  it('have access until the 18th birthday', () => {
    expect(representativeAccessUntil('2010-06-15')).toBe('2028-06-15');
    expect(representativeAccessUntil('2008-02-29')).toBe('2026-03-01');
    expect(hasRepresentativeAccess('2010-06-15', new Date('2028-06-14T23:59:59Z'))).toBe(true);
    expect(hasRepresentativeAccess('2010-06-15', new Date('2028-06-15T00:00:00Z'))).toBe(false);
    expect(hasRepresentativeAccess('2010-06-15', new Date('2010-06-15T00:00:00Z'))).toBe(true);
  });

  it('throws on an invalid birth date', () => {
    expect(() => representativeAccessUntil('2010-02-30')).toThrow(RangeError);
  });
});

describe('matchesPerson', () => {
  const carer: KnownPerson = { birthName: 'DUPONT', usedName: 'MARTIN', firstGivenName: 'Hélène', birthDate: '1970-04-02' };
  const query = { familyName: 'Dupont', givenName: 'Hélène', birthDate: '1970-04-02' };

  it('matches the same person, ignoring case and accents', () => {
    expect(matchesPerson(carer, query)).toBe(true);
    expect(matchesPerson(carer, { ...query, givenName: 'HELENE' })).toBe(true);
    expect(matchesPerson(carer, { ...query, givenName: ' helene ', familyName: 'dupont' })).toBe(true);
  });

  it('accepts the used name as family name', () => {
    expect(matchesPerson(carer, { ...query, familyName: 'martin' })).toBe(true);
    expect(matchesPerson({ ...carer, usedName: undefined }, { ...query, familyName: 'martin' })).toBe(false);
  });

  it('treats spaces, hyphens and apostrophes alike', () => {
    const person: KnownPerson = { birthName: "D'ARTAGNAN-LE BRUN", firstGivenName: 'Jean-Pierre', birthDate: '1960-01-01' };
    expect(matchesPerson(person, { familyName: "d’artagnan le-brun", givenName: 'jean pierre', birthDate: '1960-01-01' })).toBe(true);
    expect(matchesPerson(person, { familyName: 'dartagnan le brun', givenName: 'jean pierre', birthDate: '1960-01-01' })).toBe(false);
  });

  it.each([
    [{ familyName: 'Dupond' }],
    [{ givenName: 'Hélèna' }],
    [{ givenName: 'Marie' }],
    [{ birthDate: '1970-04-03' }],
    [{ birthDate: '02/04/1970' }],
    [{ familyName: '' }],
    [{ givenName: ' - ' }],
  ])('rejects %j', (override) => {
    expect(matchesPerson(carer, { ...query, ...override })).toBe(false);
  });

  it('never matches empty names', () => {
    const blank: KnownPerson = { birthName: '', usedName: '', firstGivenName: '', birthDate: '1970-04-02' };
    expect(matchesPerson(blank, { familyName: '', givenName: '', birthDate: '1970-04-02' })).toBe(false);
  });

  it('a person always matches their own traits, however typed', () => {
    const name = fc.string({ unit: fc.constantFrom(...'abcdeéèçœAÉZ'), minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(name, name, fc.boolean(), (family, given, upper) => {
        const person: KnownPerson = { birthName: family, firstGivenName: given, birthDate: '1990-05-05' };
        const typed = (s: string) => (upper ? s.toUpperCase() : s.toLowerCase());
        expect(matchesPerson(person, { familyName: typed(family), givenName: ` ${typed(given)} `, birthDate: '1990-05-05' })).toBe(true);
      }),
    );
  });
});
