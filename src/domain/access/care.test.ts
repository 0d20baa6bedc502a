import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { careAccess, mayDeclareAccess, PRO_READABLE_TYPES, PRO_WRITABLE_TYPES, roleFitsProfessions, type CareFacts, type RelationFacts } from './care.js';
import { decide, readScope } from './policy.js';
import type { Principal } from './principal.js';

const at = new Date('2026-05-01T10:00:00Z');
const open = (relation?: RelationFacts): CareFacts => ({ profile: 'open', ...(relation ? { relation } : {}) });

describe('careAccess, case by case', () => {
  it.each([
    ['absent', { status: 'no-profile', reason: 'absent' }],
    ['opposed', { status: 'no-profile', reason: 'opposed' }],
    ['pending', { status: 'no-profile', reason: 'pending' }],
    ['closed', { status: 'closed' }],
  ] as const)('a profile %s', (profile, expected) => {
    expect(careAccess({ profile, relation: { medecinTraitant: true, consentAt: at } })).toEqual(expected);
  });

  it('no relation: consent needed', () => {
    expect(careAccess(open())).toEqual({ status: 'consent-needed' });
    expect(careAccess(open({}))).toEqual({ status: 'consent-needed' });
  });

  it('blocked wins over every basis', () => {
    expect(careAccess(open({ blockedAt: at, medecinTraitant: true, consentAt: at, inList: true, careTeamSince: at }))).toEqual({ status: 'blocked', since: at });
  });

  it('the bases, in order: médecin traitant, care team (declared, or a role given by the patient), consent, the patient’s list', () => {
    expect(careAccess(open({ medecinTraitant: true, consentAt: at }))).toEqual({ status: 'authorised', basis: 'medecin-traitant' });
    expect(careAccess(open({ careTeamSince: at, consentAt: at }))).toEqual({ status: 'authorised', basis: 'care-team', since: at });
    expect(careAccess(open({ pharmacien: true }))).toEqual({ status: 'authorised', basis: 'care-team' });
    expect(careAccess(open({ sageFemme: true }))).toEqual({ status: 'authorised', basis: 'care-team' });
    expect(careAccess(open({ consentAt: at, inList: true, addedAt: at }))).toEqual({ status: 'authorised', basis: 'consent', since: at });
    expect(careAccess(open({ inList: true, addedAt: at }))).toEqual({ status: 'authorised', basis: 'patient', since: at });
  });

  it('a professional may declare access only on an open profile where they are not blocked', () => {
    expect(mayDeclareAccess({ status: 'consent-needed' })).toBe(true);
    expect(mayDeclareAccess({ status: 'authorised', basis: 'consent' })).toBe(true);
    expect(mayDeclareAccess({ status: 'blocked', since: at })).toBe(false);
    expect(mayDeclareAccess({ status: 'closed' })).toBe(false);
    expect(mayDeclareAccess({ status: 'no-profile', reason: 'pending' })).toBe(false);
  });

  it('roles need the matching profession', () => {
    expect(roleFitsProfessions('pharmacien-correspondant', ['21'])).toBe(true);
    expect(roleFitsProfessions('pharmacien-correspondant', ['10'])).toBe(false);
    expect(roleFitsProfessions('medecin-traitant', ['60', '10'])).toBe(true);
    expect(roleFitsProfessions('sage-femme-referente', ['10'])).toBe(false);
  });
});

const relationArb: fc.Arbitrary<RelationFacts> = fc.record(
  {
    blockedAt: fc.option(fc.constant(at), { nil: undefined }),
    medecinTraitant: fc.boolean(),
    sageFemme: fc.boolean(),
    pharmacien: fc.boolean(),
    inList: fc.boolean(),
    careTeamSince: fc.option(fc.constant(at), { nil: undefined }),
    consentAt: fc.option(fc.constant(at), { nil: undefined }),
  },
  { requiredKeys: [] },
);
const factsArb: fc.Arbitrary<CareFacts> = fc.record({
  profile: fc.constantFrom('absent', 'opposed', 'pending', 'open', 'closed'),
  relation: fc.option(relationArb, { nil: undefined }),
});

const pro: Principal = { userId: 'u', login: 'pro', role: 'professional', displayName: 'Dr X', practitionerId: '810000000001', represents: [] };
const TYPES = [...PRO_READABLE_TYPES, 'Observation', 'AuditEvent', 'Communication', 'Goal'];
const ACTIONS = ['read', 'search', 'create', 'update', 'delete'] as const;

describe('the policy for professionals (property)', () => {
  it('never lets a blocked professional, or anyone on a profile that is not open, do anything but their own messages', () => {
    fc.assert(
      fc.property(factsArb, fc.constantFrom(...TYPES), fc.constantFrom(...ACTIONS), (facts, resourceType, action) => {
        const care = careAccess(facts);
        const d = decide(pro, { action, resourceType, patientId: 'p1', care });
        // secure messaging is not the shared record: a professional reads the messages they take part in (a row
        // rule narrows them) and writes to an open profile whatever their access to its documents (messages.ts)
        if (resourceType === 'Communication') {
          const open = care.status !== 'no-profile' && care.status !== 'closed';
          expect(d.allow).toBe(open && (action === 'read' || action === 'search' || action === 'create'));
          return;
        }
        if (facts.profile !== 'open' || facts.relation?.blockedAt) expect(d.allow).toBe(false);
        if (d.allow) {
          expect(care.status === 'authorised' || (care.status === 'consent-needed' && action === 'create' && resourceType === 'Consent')).toBe(true);
          // the traces of the record are read by the médecin traitant and the administrator too (R1111-43)
          const traces = resourceType === 'AuditEvent' && care.status === 'authorised' && (care.basis === 'medecin-traitant' || care.administrator === true);
          if (action === 'read' || action === 'search') expect(PRO_READABLE_TYPES.has(resourceType) || traces).toBe(true);
          else {
            expect(PRO_WRITABLE_TYPES.has(resourceType)).toBe(true);
            expect(action).toBe('create');
          }
        }
      }),
    );
  });

  it('without an access status (no record named) a professional reads nothing of any record', () => {
    for (const action of ACTIONS) expect(decide(pro, { action, resourceType: 'DocumentReference', patientId: 'p1' }).allow).toBe(false);
    expect(readScope(pro, 'DocumentReference').patientIds).toEqual([]);
  });

  it('the read scope holds exactly the named records where the professional is authorised', () => {
    const care = new Map([
      ['a', careAccess(open({ consentAt: at }))],
      ['b', careAccess(open({ blockedAt: at, consentAt: at }))],
      ['c', careAccess(open())],
    ]);
    expect(readScope(pro, 'Immunization', care).patientIds).toEqual(['a']);
    expect(readScope(pro, 'Observation', care).patientIds).toEqual([]);
  });
});

describe('scopes of a third-party client', () => {
  it('narrow what the professional may do', () => {
    const care = careAccess(open({ consentAt: at }));
    const reader: Principal = { ...pro, scopes: ['user/*.read'] };
    expect(decide(reader, { action: 'read', resourceType: 'Immunization', patientId: 'p1', care }).allow).toBe(true);
    expect(decide(reader, { action: 'create', resourceType: 'Immunization', patientId: 'p1', care })).toMatchObject({ allow: false, reason: expect.stringMatching(/scopes/) });
    expect(decide({ ...pro, scopes: ['user/Immunization.cruds'] }, { action: 'read', resourceType: 'DocumentReference', patientId: 'p1', care }).allow).toBe(false);
  });
});
