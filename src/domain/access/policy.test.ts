import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AccessRequest, type Action, decide, DIRECTORY_TYPES, readScope } from './policy.js';
import { type Principal, type Relation, type Role, SYSTEM } from './principal.js';
import type { AccessStatus, CareBasis } from './care.js';
import { messagePredicate } from './messages.js';

const ACTIONS: Action[] = ['read', 'search', 'create', 'update', 'delete'];
const WRITES: Action[] = ['create', 'update', 'delete'];
const READS: Action[] = ['read', 'search'];
const RELATIONS: Relation[] = ['self', 'parent', 'legal-representative', 'carer'];
const ROLES: Role[] = ['patient', 'professional', 'operator', 'system'];
/** Types a patient's record holds, plus the directory types and a few that Carnet does not even store. */
const TYPES = ['Patient', 'Observation', 'Condition', 'AuditEvent', 'Bundle', 'Binary', 'Device', 'Practitioner', 'PractitionerRole', 'Organization', 'Questionnaire', 'QuestionnaireResponse', 'Medication', 'practitioner', ''];
const PATIENT_IDS = ['anna', 'paul', 'leo', 'jade', 'p-1', 'p.2'];

function principal(role: Role, represents: Principal['represents'] = []): Principal {
  return { userId: `user-${role}`, login: role, role, displayName: role, represents };
}

const arbRelation = fc.constantFrom(...RELATIONS);
const arbPatientId = fc.oneof(fc.constantFrom(...PATIENT_IDS), fc.stringMatching(/^[A-Za-z0-9\-.]{1,64}$/));
const arbLinks = fc.array(fc.record({ patientId: arbPatientId, relation: arbRelation }), { maxLength: 5 });
const arbPrincipalOf = (roles: Role[]) =>
  fc.record({ role: fc.constantFrom(...roles), represents: arbLinks }).map(({ role, represents }) => principal(role, represents));
const arbPrincipal = arbPrincipalOf(ROLES);
const arbAction = fc.constantFrom(...ACTIONS);
const arbType = fc.oneof(fc.constantFrom(...TYPES), fc.stringMatching(/^[A-Z][A-Za-z]{1,30}$/));
const arbRequest: fc.Arbitrary<AccessRequest> = fc.record({
  action: arbAction,
  resourceType: arbType,
  patientId: fc.option(arbPatientId, { nil: null }),
});
/** A request on patient data, often for a patient the generated principal represents. */
const arbPrincipalAndPatientRequest = (roles: Role[]) =>
  fc
    .tuple(arbPrincipalOf(roles), arbAction, arbType, arbPatientId, fc.nat(), fc.boolean())
    .map(([p, action, resourceType, otherId, pick, useLink]) => {
      const patientId = useLink && p.represents.length > 0 ? p.represents[pick % p.represents.length]!.patientId : otherId;
      return { p, req: { action, resourceType, patientId } as AccessRequest };
    });

const represents = (p: Principal, patientId: string) => p.represents.some((r) => r.patientId === patientId);

describe('DIRECTORY_TYPES', () => {
  it('holds exactly the directory-like types', () => {
    expect([...DIRECTORY_TYPES].sort()).toEqual(['Device', 'Organization', 'Practitioner', 'PractitionerRole', 'Questionnaire']);
  });

  it('holds none of the types that make up a health record', () => {
    for (const t of ['Patient', 'Observation', 'Condition', 'AllergyIntolerance', 'QuestionnaireResponse', 'AuditEvent', 'Binary', 'Bundle']) {
      expect(DIRECTORY_TYPES.has(t)).toBe(false);
    }
  });
});

describe('decide: Carnet itself', () => {
  it('may do anything inside a patient record, without a relation', () => {
    for (const action of ACTIONS) {
      expect(decide(SYSTEM, { action, resourceType: 'Observation', patientId: 'anna' })).toEqual({ allow: true });
    }
  });

  it('may do anything outside any record', () => {
    for (const action of ACTIONS) {
      for (const resourceType of TYPES) {
        expect(decide(SYSTEM, { action, resourceType, patientId: null })).toEqual({ allow: true });
      }
    }
  });

  it('is allowed every request (property)', () => {
    fc.assert(
      fc.property(arbLinks, arbRequest, (links, req) => {
        expect(decide(principal('system', links), req).allow).toBe(true);
      }),
    );
  });
});

describe('decide: patient data', () => {
  const anna = principal('patient', [{ patientId: 'anna', relation: 'self' }]);
  const parent = principal('patient', [
    { patientId: 'the-parent', relation: 'self' },
    { patientId: 'leo', relation: 'parent' },
    { patientId: 'jade', relation: 'legal-representative' },
    { patientId: 'grandma', relation: 'carer' },
  ]);

  it('lets a patient do everything on their own record, as self', () => {
    for (const action of ACTIONS) {
      expect(decide(anna, { action, resourceType: 'Observation', patientId: 'anna' })).toEqual({ allow: true, relation: 'self' });
    }
  });

  it('lets a representative act on the records they represent, with that relation', () => {
    expect(decide(parent, { action: 'read', resourceType: 'Observation', patientId: 'leo' })).toEqual({ allow: true, relation: 'parent' });
    expect(decide(parent, { action: 'update', resourceType: 'Patient', patientId: 'jade' })).toEqual({ allow: true, relation: 'legal-representative' });
    expect(decide(parent, { action: 'create', resourceType: 'Condition', patientId: 'grandma' })).toEqual({ allow: true, relation: 'carer' });
    expect(decide(parent, { action: 'delete', resourceType: 'Observation', patientId: 'the-parent' })).toEqual({ allow: true, relation: 'self' });
  });

  it('refuses a patient every action on another patient record', () => {
    for (const action of ACTIONS) {
      const d = decide(anna, { action, resourceType: 'Observation', patientId: 'paul' });
      expect(d).toEqual({ allow: false, reason: 'this record is not yours, nor that of a person you represent' });
    }
  });

  it('refuses a patient who represents nobody any record, even for a directory type', () => {
    const nobody = principal('patient');
    expect(decide(nobody, { action: 'read', resourceType: 'Device', patientId: 'anna' }).allow).toBe(false);
  });

  it('matches patient ids exactly (no prefix, case or whitespace tolerance)', () => {
    for (const patientId of ['ann', 'anna2', 'Anna', 'ANNA', ' anna', 'anna ', '']) {
      expect(decide(anna, { action: 'read', resourceType: 'Observation', patientId }).allow).toBe(false);
    }
  });

  it('does not turn a directory type inside a record into shared data', () => {
    expect(decide(anna, { action: 'read', resourceType: 'Practitioner', patientId: 'paul' }).allow).toBe(false);
  });

  it('uses the first link when a patient is listed twice', () => {
    const twice = principal('patient', [
      { patientId: 'leo', relation: 'parent' },
      { patientId: 'leo', relation: 'carer' },
    ]);
    expect(decide(twice, { action: 'read', resourceType: 'Observation', patientId: 'leo' })).toEqual({ allow: true, relation: 'parent' });
  });

  it('refuses a professional with no link to the patient', () => {
    const pro = principal('professional');
    for (const action of ACTIONS) {
      expect(decide(pro, { action, resourceType: 'Observation', patientId: 'anna' })).toEqual({
        allow: false,
        reason: 'professionals have no access to this patient record',
      });
    }
  });

  it('refuses an operator with no link to the patient, every action', () => {
    const operator = principal('operator');
    for (const action of ACTIONS) {
      expect(decide(operator, { action, resourceType: 'Patient', patientId: 'anna' })).toEqual({
        allow: false,
        reason: 'operators do not access health data',
      });
    }
  });

  it('refuses an operator even when the operator account is linked to the patient', () => {
    const operator = principal('operator', [{ patientId: 'anna', relation: 'carer' }]);
    expect(decide(operator, { action: 'read', resourceType: 'Observation', patientId: 'anna' }).allow).toBe(false);
  });

  it('refuses a professional even when the professional account is linked to the patient', () => {
    const pro = principal('professional', [{ patientId: 'anna', relation: 'parent' }]);
    expect(decide(pro, { action: 'update', resourceType: 'Observation', patientId: 'anna' }).allow).toBe(false);
  });
});

describe('decide: data outside any patient record', () => {
  const users = (['patient', 'professional'] as const).map((role) => principal(role, [{ patientId: 'anna', relation: 'self' }]));

  it('lets an operator administer the directory outside records, and nothing clinical', () => {
    const operator = principal('operator');
    for (const action of ACTIONS) {
      for (const resourceType of TYPES) {
        expect(decide(operator, { action, resourceType, patientId: null }).allow).toBe(DIRECTORY_TYPES.has(resourceType));
      }
    }
  });

  it('lets nobody but Carnet write an AuditEvent, in a record or outside', () => {
    for (const role of ['patient', 'professional', 'operator'] as const) {
      for (const action of WRITES) {
        for (const patientId of [null, 'anna']) {
          const p = principal(role, [{ patientId: 'anna', relation: 'self' }]);
          const d = decide(p, { action, resourceType: 'AuditEvent', patientId });
          expect(d.allow, `${role} ${action} ${patientId}`).toBe(false);
        }
      }
    }
    expect(decide(SYSTEM, { action: 'create', resourceType: 'AuditEvent', patientId: 'anna' })).toEqual({ allow: true });
    expect(decide(principal('patient', [{ patientId: 'anna', relation: 'self' }]), { action: 'read', resourceType: 'AuditEvent', patientId: 'anna' }).allow).toBe(true);
  });

  it('lets patients and professionals read and search the directory types', () => {
    for (const p of users) {
      for (const action of READS) {
        for (const resourceType of DIRECTORY_TYPES) {
          expect(decide(p, { action, resourceType, patientId: null })).toEqual({ allow: true });
        }
      }
    }
  });

  it('refuses patients and professionals any write of a directory type', () => {
    for (const p of users) {
      for (const action of WRITES) {
        for (const resourceType of DIRECTORY_TYPES) {
          const d = decide(p, { action, resourceType, patientId: null });
          expect(d).toEqual({ allow: false, reason: `only operators write ${resourceType} outside a patient record` });
        }
      }
    }
  });

  it('refuses patients and professionals the reading of other types outside a record', () => {
    for (const p of users) {
      for (const action of READS) {
        const d = decide(p, { action, resourceType: 'Observation', patientId: null });
        expect(d).toEqual({ allow: false, reason: `Observation outside a patient record is not readable by a ${p.role}` });
      }
    }
  });

  it('treats resource type names case-sensitively', () => {
    expect(decide(users[0]!, { action: 'read', resourceType: 'practitioner', patientId: null }).allow).toBe(false);
  });
});

describe('decide: properties', () => {
  it('allows patient data to a patient iff they represent that patient, with the link’s relation', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['patient', 'system']), ({ p, req }) => {
        fc.pre(p.role === 'system' || req.resourceType !== 'AuditEvent' || req.action === 'read' || req.action === 'search');
        const d = decide(p, req);
        const link = p.represents.find((r) => r.patientId === req.patientId);
        expect(d.allow).toBe(p.role === 'system' || link !== undefined);
        if (p.role === 'system') expect(d).toEqual({ allow: true });
        else if (link) expect(d).toEqual({ allow: true, relation: link.relation });
      }),
    );
  });

  it('refuses patient data to anyone but Carnet who does not represent the patient', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['patient', 'professional', 'operator']), ({ p, req }) => {
        fc.pre(!represents(p, req.patientId!));
        expect(decide(p, req).allow).toBe(false);
      }),
    );
  });

  it('never allows an operator patient data when the operator represents nobody', () => {
    fc.assert(
      fc.property(arbAction, arbType, arbPatientId, (action, resourceType, patientId) => {
        expect(decide(principal('operator'), { action, resourceType, patientId }).allow).toBe(false);
      }),
    );
  });

  it('never allows a professional patient data when the professional represents nobody', () => {
    fc.assert(
      fc.property(arbAction, arbType, arbPatientId, (action, resourceType, patientId) => {
        expect(decide(principal('professional'), { action, resourceType, patientId }).allow).toBe(false);
      }),
    );
  });

  it('never allows an operator patient data, whatever its links (property)', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['operator']), ({ p, req }) => {
        expect(decide(p, req).allow).toBe(false);
      }),
    );
  });

  it('never allows a professional patient data, whatever its links (property)', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['professional']), ({ p, req }) => {
        expect(decide(p, req).allow).toBe(false);
      }),
    );
  });

  it('outside any record, lets operators administer directory types and others only read or search them', () => {
    fc.assert(
      fc.property(arbPrincipal, arbAction, arbType, (p, action, resourceType) => {
        const d = decide(p, { action, resourceType, patientId: null });
        const auditWrite = resourceType === 'AuditEvent' && !READS.includes(action);
        const expected =
          p.role === 'system' ||
          (p.role === 'operator' && !auditWrite && DIRECTORY_TYPES.has(resourceType)) ||
          (READS.includes(action) && DIRECTORY_TYPES.has(resourceType));
        expect(d.allow).toBe(expected);
      }),
    );
  });

  it('outside any record, never lets a patient or professional write', () => {
    fc.assert(
      fc.property(arbPrincipalOf(['patient', 'professional']), fc.constantFrom(...WRITES), arbType, (p, action, resourceType) => {
        expect(decide(p, { action, resourceType, patientId: null }).allow).toBe(false);
      }),
    );
  });

  it('always gives a non-empty reason with a refusal, and no reason with an allowance', () => {
    fc.assert(
      fc.property(arbPrincipal, arbRequest, (p, req) => {
        const d = decide(p, req);
        if (d.allow) expect(d).not.toHaveProperty('reason');
        else expect(d.reason.trim()).not.toBe('');
      }),
    );
  });

  it('gives a relation only inside a patient record', () => {
    fc.assert(
      fc.property(arbPrincipal, arbRequest, (p, req) => {
        const d = decide(p, req);
        if (d.allow && d.relation !== undefined) {
          expect(req.patientId).not.toBeNull();
          expect(RELATIONS).toContain(d.relation);
        }
      }),
    );
  });

  it('does not depend on the action for patient data (the audit trail aside)', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(ROLES), ({ p, req }) => {
        fc.pre(req.resourceType !== 'AuditEvent');
        const decisions = ACTIONS.map((action) => decide(p, { ...req, action }));
        for (const d of decisions) expect(d).toEqual(decisions[0]);
      }),
    );
  });
});

describe('readScope', () => {
  it('gives Carnet itself every compartment and the shared data', () => {
    expect(readScope(SYSTEM, 'Observation')).toEqual({ patientIds: 'all', shared: true });
    expect(readScope(principal('system', [{ patientId: 'anna', relation: 'self' }]), 'Patient')).toEqual({ patientIds: 'all', shared: true });
  });

  it('gives a patient their own record and those they represent, in order', () => {
    const parent = principal('patient', [
      { patientId: 'the-parent', relation: 'self' },
      { patientId: 'leo', relation: 'parent' },
    ]);
    expect(readScope(parent, 'Observation')).toEqual({ patientIds: ['the-parent', 'leo'], shared: false });
    expect(readScope(parent, 'Practitioner')).toEqual({ patientIds: ['the-parent', 'leo'], shared: true });
  });

  it('gives a patient who represents nobody no compartment', () => {
    expect(readScope(principal('patient'), 'Observation')).toEqual({ patientIds: [], shared: false });
  });

  it('gives a professional the directory but no compartment', () => {
    expect(readScope(principal('professional'), 'Organization')).toEqual({ patientIds: [], shared: true });
    expect(readScope(principal('professional'), 'Condition')).toEqual({ patientIds: [], shared: false });
  });

  it('gives an operator the shared directory but no compartment, and nothing clinical', () => {
    expect(readScope(principal('operator'), 'Organization')).toEqual({ patientIds: [], shared: true });
    expect(readScope(principal('operator'), 'Observation')).toEqual({ patientIds: [], shared: false });
    expect(readScope(principal('operator'), 'Patient')).toEqual({ patientIds: [], shared: false });
  });

  it('gives a system principal "all" whatever the type (property)', () => {
    fc.assert(
      fc.property(arbLinks, arbType, (links, type) => {
        expect(readScope(principal('system', links), type)).toEqual({ patientIds: 'all', shared: true });
      }),
    );
  });

  it('only lists patients whose records decide lets the principal read and search (property)', () => {
    fc.assert(
      fc.property(arbPrincipalOf(['patient', 'professional', 'operator']), arbType, (p, type) => {
        const scope = readScope(p, type);
        expect(scope.patientIds).not.toBe('all');
        for (const patientId of scope.patientIds as readonly string[]) {
          expect(decide(p, { action: 'read', resourceType: type, patientId }).allow).toBe(true);
          expect(decide(p, { action: 'search', resourceType: type, patientId }).allow).toBe(true);
        }
      }),
    );
  });

  it('lists every patient whose record decide lets the principal read (property)', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['patient', 'professional', 'operator']), ({ p, req }) => {
        const scope = readScope(p, req.resourceType);
        const readable = decide(p, { ...req, action: 'read' }).allow;
        expect((scope.patientIds as readonly string[]).includes(req.patientId!)).toBe(readable);
      }),
    );
  });

  it('marks shared data readable exactly when decide allows a search outside any record (property)', () => {
    fc.assert(
      fc.property(arbPrincipal, arbType, (p, type) => {
        expect(readScope(p, type).shared).toBe(decide(p, { action: 'search', resourceType: type, patientId: null }).allow);
      }),
    );
  });
});

describe('decide and readScope: secure messages (Communication)', () => {
  const BASES: CareBasis[] = ['medecin-traitant', 'care-team', 'consent', 'patient', 'emergency'];
  const since = new Date('2025-01-01T00:00:00Z');
  /** The statuses under which a professional reads and writes messages: any but no-profile and closed. */
  const OPEN: AccessStatus[] = [
    { status: 'consent-needed' },
    { status: 'blocked', since },
    ...BASES.map((basis): AccessStatus => ({ status: 'authorised', basis })),
    { status: 'authorised', basis: 'care-team', since, administrator: true },
    { status: 'authorised', basis: 'emergency', since, emergency: { since, hiddenAllowed: false } },
  ];
  const SHUT: [AccessStatus | undefined, string][] = [
    [{ status: 'no-profile', reason: 'absent' }, 'this person has no profile'],
    [{ status: 'no-profile', reason: 'opposed' }, 'this person has no profile'],
    [{ status: 'no-profile', reason: 'pending' }, 'this person has no profile'],
    [{ status: 'closed' }, 'this profile is closed'],
    [undefined, 'professionals have no access to this patient record'],
  ];
  const ALL: (AccessStatus | undefined)[] = [...OPEN, ...SHUT.map(([s]) => s)];
  const arbStatus = fc.constantFrom(...ALL);
  const isOpen = (s: AccessStatus | undefined) => s !== undefined && s.status !== 'no-profile' && s.status !== 'closed';

  const pro: Principal = {
    ...principal('professional'),
    practitionerId: '810001',
    practice: { roleId: 'role-1', practitionerId: '810001', professionCode: '10', organizationId: 'org-1' },
  };
  const ask = (p: Principal, action: Action, care?: AccessStatus, patientId: string | null = 'anna') =>
    decide(p, { action, resourceType: 'Communication', patientId, ...(care ? { care } : {}) });

  it('lets a professional read, search and create messages in a record whatever their access to it, but for no-profile and closed', () => {
    for (const care of OPEN) {
      for (const action of [...READS, 'create'] as Action[]) {
        expect(ask(pro, action, care), `${care.status} ${action}`).toEqual({ allow: true });
      }
    }
  });

  it('refuses a professional every action on messages of a record without a profile, closed, or with no care status at all', () => {
    for (const [care, reason] of SHUT) {
      for (const action of ACTIONS) {
        expect(ask(pro, action, care), `${care?.status} ${action}`).toEqual({ allow: false, reason });
      }
    }
  });

  it('never lets a professional update or delete a message', () => {
    for (const care of ALL) {
      for (const action of ['update', 'delete'] as Action[]) {
        const d = ask(pro, action, care);
        expect(d.allow, `${care?.status} ${action}`).toBe(false);
        if (!d.allow) expect(d.reason.trim()).not.toBe('');
      }
    }
  });

  it('allows a professional exactly reads, searches and creates under an open status (property)', () => {
    fc.assert(
      fc.property(arbStatus, arbAction, arbPatientId, arbLinks, (care, action, patientId, links) => {
        const p = { ...pro, represents: links };
        expect(ask(p, action, care, patientId).allow).toBe(isOpen(care) && action !== 'update' && action !== 'delete');
      }),
      { numRuns: 300 },
    );
  });

  it('does not open the other types of the record to a professional whose status opens the messages', () => {
    expect(decide(pro, { action: 'read', resourceType: 'DocumentReference', patientId: 'anna', care: { status: 'blocked', since } }).allow).toBe(false);
    expect(decide(pro, { action: 'read', resourceType: 'Observation', patientId: 'anna', care: { status: 'consent-needed' } }).allow).toBe(false);
    expect(decide(pro, { action: 'create', resourceType: 'DocumentReference', patientId: 'anna', care: { status: 'consent-needed' } }).allow).toBe(false);
  });

  it('narrows a third-party client of a professional to its scopes', () => {
    const care: AccessStatus = { status: 'authorised', basis: 'care-team' };
    const client = (scopes: string[]) => ({ ...pro, scopes });
    expect(ask(client(['user/Communication.rs']), 'read', care).allow).toBe(true);
    expect(ask(client(['user/Communication.rs']), 'create', care).allow).toBe(false);
    expect(ask(client(['user/*.read']), 'search', care).allow).toBe(true);
    expect(ask(client(['user/Observation.*']), 'read', care).allow).toBe(false);
  });

  it('never lets an operator read or write messages, whatever its links or the care status given', () => {
    fc.assert(
      fc.property(arbLinks, arbStatus, arbAction, fc.option(arbPatientId, { nil: null }), (links, care, action, patientId) => {
        const operator = principal('operator', links);
        const d = ask(operator, action, care, patientId);
        expect(d.allow).toBe(false);
      }),
      { numRuns: 200 },
    );
    for (const action of ACTIONS) expect(ask(principal('operator', [{ patientId: 'anna', relation: 'self' }]), action, OPEN[2])).toEqual({ allow: false, reason: 'operators do not access health data' });
  });

  it('lets patients read and write the messages of their own record and of those they represent, with the relation', () => {
    const parent = principal('patient', [
      { patientId: 'the-parent', relation: 'self' },
      { patientId: 'leo', relation: 'parent' },
      { patientId: 'grandma', relation: 'carer' },
    ]);
    for (const action of [...READS, 'create'] as Action[]) {
      expect(ask(parent, action, undefined, 'the-parent')).toEqual({ allow: true, relation: 'self' });
      expect(ask(parent, action, undefined, 'leo')).toEqual({ allow: true, relation: 'parent' });
      expect(ask(parent, action, undefined, 'grandma')).toEqual({ allow: true, relation: 'carer' });
    }
    for (const action of ACTIONS) {
      expect(ask(parent, action, undefined, 'anna')).toEqual({ allow: false, reason: 'this record is not yours, nor that of a person you represent' });
      // a care status is a professional's: it gives a patient nothing
      expect(ask(parent, action, OPEN[2], 'anna').allow).toBe(false);
    }
  });

  it('treats messages as any other type of the record for patients (property)', () => {
    fc.assert(
      fc.property(arbPrincipalAndPatientRequest(['patient']), ({ p, req }) => {
        expect(decide(p, { ...req, resourceType: 'Communication' })).toEqual(decide(p, { ...req, resourceType: 'Observation' }));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps messages outside a record to Carnet itself', () => {
    for (const p of [pro, principal('patient', [{ patientId: 'anna', relation: 'self' }]), principal('operator')]) {
      for (const action of ACTIONS) expect(ask(p, action, OPEN[2], null).allow).toBe(false);
    }
    expect(ask(SYSTEM, 'read', undefined, null)).toEqual({ allow: true });
  });

  it('gives a professional the records their status opens, with the message predicate as row rule', () => {
    const care = new Map<string, AccessStatus>([
      ['anna', { status: 'authorised', basis: 'medecin-traitant' }],
      ['paul', { status: 'blocked', since }],
      ['leo', { status: 'consent-needed' }],
      ['jade', { status: 'no-profile', reason: 'pending' }],
      ['zoe', { status: 'closed' }],
      ['eve', { status: 'authorised', basis: 'emergency', since, emergency: { since, hiddenAllowed: true }, administrator: true }],
    ]);
    const scope = readScope(pro, 'Communication', care);
    expect(scope).toEqual({
      patientIds: ['anna', 'paul', 'leo', 'eve'],
      shared: false,
      rows: [{ patientIds: ['anna', 'paul', 'leo', 'eve'], predicate: messagePredicate(pro), listPredicate: true }],
    });
    expect(scope.rows![0]!.predicate).toEqual({
      and: [{ not: { any: ['status=preparation'] } }, { any: ['sender=Practitioner/810001', 'recipient=Practitioner/810001', 'sender=Organization/org-1', 'recipient=Organization/org-1'] }],
    });
  });

  it('gives a professional without a practitioner id the records but no row', () => {
    const nobody: Principal = { ...principal('professional') };
    const scope = readScope(nobody, 'Communication', new Map([['anna', { status: 'authorised', basis: 'consent' }]]));
    expect(scope).toEqual({ patientIds: ['anna'], shared: false, rows: [{ patientIds: ['anna'], predicate: false, listPredicate: true }] });
  });

  it('gives a professional no record and no row when no status opens one', () => {
    expect(readScope(pro, 'Communication')).toEqual({ patientIds: [], shared: false });
    expect(readScope(pro, 'Communication', new Map([['zoe', { status: 'closed' }]]))).toEqual({ patientIds: [], shared: false });
  });

  it('gives the patient side every message of the records they represent, and operators none', () => {
    const parent = principal('patient', [
      { patientId: 'the-parent', relation: 'self' },
      { patientId: 'leo', relation: 'parent' },
    ]);
    expect(readScope(parent, 'Communication')).toEqual({
      patientIds: ['the-parent', 'leo'],
      shared: false,
      rows: [{ patientIds: ['the-parent', 'leo'], predicate: true, listPredicate: true }],
    });
    expect(readScope(principal('operator', [{ patientId: 'anna', relation: 'self' }]), 'Communication', new Map([['anna', OPEN[2]!]]))).toEqual({
      patientIds: [],
      shared: false,
    });
    expect(readScope(SYSTEM, 'Communication')).toEqual({ patientIds: 'all', shared: true });
  });

  it('lists for a professional exactly the records whose status opens the messages, in one row group (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(arbPatientId, arbStatus), { maxLength: 8 }), (entries) => {
        const care = new Map(entries.filter((e): e is [string, AccessStatus] => e[1] !== undefined));
        const scope = readScope(pro, 'Communication', care);
        const open = [...care].filter(([, s]) => isOpen(s)).map(([id]) => id);
        expect(scope.patientIds).toEqual(open);
        if (open.length === 0) expect(scope.rows).toBeUndefined();
        else expect(scope.rows).toEqual([{ patientIds: open, predicate: messagePredicate(pro), listPredicate: true }]);
      }),
      { numRuns: 200 },
    );
  });
});
