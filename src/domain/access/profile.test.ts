import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { careAccess, PRO_READABLE_TYPES, type CareFacts } from './care.js';
import { decide, readScope, rowRule } from './policy.js';
import type { Principal } from './principal.js';
import { CLOSABLE_SECTIONS, PROFILE_TOKENS, type ClosableSection } from './profile.js';
import { matches } from './token-predicate.js';

/**
 * What a professional sees of the medical profile (issue 8, domain.md §2.8): vaccinations, the health history
 * and "entourage et volontés", which the patient may close; nothing else of the profile, whatever their basis.
 */
const pro: Principal = { userId: 'u', login: 'pro', role: 'professional', displayName: 'Dr X', practitionerId: '810000000001', represents: [] };
const patient: Principal = { userId: 'p', login: 'camille', role: 'patient', displayName: 'Camille', patientId: 'p1', represents: [{ patientId: 'p1', relation: 'self' }] };
const facts = (closed: ClosableSection[] = [], relation: CareFacts['relation'] = { medecinTraitant: true }): CareFacts => ({ profile: 'open', relation, closedSections: closed });
const reads = (type: string, closed: ClosableSection[] = [], who: Principal = pro) => decide(who, { action: 'search', resourceType: type, patientId: 'p1', care: careAccess(facts(closed)) }).allow;

/** The profile's own types, that no professional reads. */
const PATIENT_ONLY = ['Condition', 'AllergyIntolerance', 'MedicationStatement', 'Encounter', 'FamilyMemberHistory', 'Observation', 'Goal', 'Appointment', 'QuestionnaireResponse'];
const wish = (code: string) => new Set([PROFILE_TOKENS.category(code), 'status=active']);
const dmpConsent = new Set(['category=http://loinc.org|59284-0', 'status=active']);

describe('the medical profile for professionals', () => {
  it('the médecin traitant reads vaccinations, health history and entourage et volontés, and none of the rest', () => {
    for (const type of ['Immunization', 'Procedure', 'RelatedPerson', 'Consent']) expect(reads(type), type).toBe(true);
    for (const type of PATIENT_ONLY) expect(reads(type), type).toBe(false);
  });

  it('a closed section is refused to professionals, never to the patient', () => {
    expect(reads('Procedure', ['health-history'])).toBe(false);
    expect(reads('RelatedPerson', ['entourage'])).toBe(false);
    expect(reads('RelatedPerson', ['health-history'])).toBe(true);
    expect(reads('Immunization', [...CLOSABLE_SECTIONS])).toBe(true);
    expect(decide(patient, { action: 'search', resourceType: 'RelatedPerson', patientId: 'p1' }).allow).toBe(true);
  });

  it('closing entourage et volontés hides the wishes among Consents, not the consents of the record', () => {
    const closed = careAccess(facts(['entourage']));
    const open = careAccess(facts());
    const closedRule = rowRule(pro, 'Consent', 'p1', closed).predicate;
    const openRule = rowRule(pro, 'Consent', 'p1', open).predicate;
    for (const code of ['organ-donation', 'advance-directive']) {
      expect(matches(closedRule, wish(code))).toBe(false);
      expect(matches(openRule, wish(code))).toBe(true);
      expect(matches(rowRule(patient, 'Consent', 'p1', undefined).predicate, wish(code))).toBe(true);
    }
    expect(matches(closedRule, dmpConsent)).toBe(true);
    // the advance directives' documents (EXPPAT_3) close with the section; other documents do not
    const doctor: Principal = { ...pro, practice: { roleId: 'r1', practitionerId: '810000000001', professionCode: '10' } };
    const directive = new Set(['type=EXPPAT_3']);
    const report = new Set(['type=11490-0']);
    expect(matches(rowRule(doctor, 'DocumentReference', 'p1', closed).predicate, directive)).toBe(false);
    expect(matches(rowRule(doctor, 'DocumentReference', 'p1', open).predicate, directive)).toBe(true);
    expect(matches(rowRule(doctor, 'DocumentReference', 'p1', closed).predicate, report)).toBe(true);
    // the search scope carries the same rule
    expect(readScope(pro, 'Consent', new Map([['p1', closed]])).rows?.[0]?.predicate).toEqual(closedRule);
  });

  it('whatever the basis, the sections closed and the type, a professional reads only what is shared and open (property)', () => {
    const relationArb = fc.record({ medecinTraitant: fc.boolean(), consentAt: fc.option(fc.constant(new Date('2026-01-01')), { nil: undefined }), inList: fc.boolean() });
    const closedArb = fc.subarray([...CLOSABLE_SECTIONS]);
    const typeArb = fc.constantFrom(...PRO_READABLE_TYPES, ...PATIENT_ONLY);
    fc.assert(
      fc.property(relationArb, closedArb, typeArb, (relation, closed, type) => {
        const care = careAccess(facts(closed, relation));
        const allowed = decide(pro, { action: 'read', resourceType: type, patientId: 'p1', care }).allow;
        if (PATIENT_ONLY.includes(type)) expect(allowed).toBe(false);
        if (closed.includes('entourage') && type === 'RelatedPerson') expect(allowed).toBe(false);
        if (closed.includes('health-history') && type === 'Procedure') expect(allowed).toBe(false);
        if (allowed) expect(care.status).toBe('authorised');
      }),
    );
  });

  it('no professional writes the patient’s wishes nor a list of the profile, whatever their status; the DMP’s consent and lists stay writable', () => {
    const creates = (type: string, tokens: Set<string>, relation: CareFacts['relation']) =>
      decide(pro, { action: 'create', resourceType: type, patientId: 'p1', care: careAccess(facts([], relation)), tokens }).allow;
    for (const relation of [{ medecinTraitant: true }, {}]) {
      for (const code of ['organ-donation', 'advance-directive']) expect(creates('Consent', wish(code), relation), code).toBe(false);
      expect(creates('Consent', dmpConsent, relation)).toBe(true);
      expect(creates('List', new Set([`code=${PROFILE_TOKENS.category('diseases').slice('category='.length)}`, 'code=diseases']), relation)).toBe(false);
    }
    expect(creates('List', new Set(['code=submissionset']), { medecinTraitant: true })).toBe(true);
    // the patient side records them
    expect(decide(patient, { action: 'create', resourceType: 'Consent', patientId: 'p1', tokens: wish('organ-donation') }).allow).toBe(true);
  });
});
