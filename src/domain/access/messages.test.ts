import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MESSAGE_TOKENS, MESSAGE_TYPES, messagePredicate, participantReferences } from './messages.js';
import { SYSTEM, type Practice, type Principal, type Role } from './principal.js';
import { matches } from './token-predicate.js';

function user(role: Role, extra: Partial<Principal> = {}): Principal {
  return { userId: `user-${role}`, login: role, role, displayName: role, represents: [], ...extra };
}

function practice(practitionerId: string, organizationId?: string): Practice {
  return { roleId: `role-${practitionerId}`, practitionerId, professionCode: '10', ...(organizationId ? { organizationId } : {}) };
}

function pro(practitionerId: string | undefined, organizationId?: string): Principal {
  return user('professional', {
    ...(practitionerId !== undefined ? { practitionerId } : {}),
    ...(practitionerId !== undefined || organizationId ? { practice: practice(practitionerId ?? '', organizationId) } : {}),
  });
}

/** The tokens search extraction gives a Communication: `sender=Type/id`, `recipient=Type/id` for each, and others. */
function tokensOf(m: { sender?: string | undefined; recipients: readonly string[]; others?: readonly string[] }): Set<string> {
  return new Set([
    ...(m.sender ? [MESSAGE_TOKENS.sender(m.sender)] : []),
    ...m.recipients.map(MESSAGE_TOKENS.recipient),
    ...(m.others ?? []),
  ]);
}

const sees = (p: Principal, tokens: ReadonlySet<string>) => matches(messagePredicate(p), tokens);

describe('MESSAGE_TYPES and MESSAGE_TOKENS', () => {
  it('covers Communication', () => {
    expect([...MESSAGE_TYPES]).toEqual(['Communication']);
  });

  it('writes the tokens as search extraction does', () => {
    expect(MESSAGE_TOKENS.sender('Practitioner/810001')).toBe('sender=Practitioner/810001');
    expect(MESSAGE_TOKENS.recipient('Organization/42')).toBe('recipient=Organization/42');
  });
});

describe('participantReferences', () => {
  it('names the professional and the structure of their practice situation', () => {
    expect(participantReferences(pro('810001', 'org-1'))).toEqual(['Practitioner/810001', 'Organization/org-1']);
    expect(participantReferences(pro('810001'))).toEqual(['Practitioner/810001']);
  });

  it('names nobody for a professional without a practitioner id, nor for other roles', () => {
    expect(participantReferences(pro(undefined, 'org-1'))).toEqual([]);
    expect(participantReferences(pro(''))).toEqual([]);
    expect(participantReferences(user('patient', { patientId: 'anna', practitionerId: '810001' }))).toEqual([]);
    expect(participantReferences(user('operator', { practitionerId: '810001' }))).toEqual([]);
    expect(participantReferences(SYSTEM)).toEqual([]);
  });
});

describe('messagePredicate', () => {
  const noise = new Set(['status=completed', 'subject=Patient/anna', 'category=|notification']);

  it('lets Carnet itself and the patient side read every message of the record', () => {
    expect(messagePredicate(SYSTEM)).toBe(true);
    expect(messagePredicate(user('patient', { patientId: 'anna', represents: [{ patientId: 'anna', relation: 'self' }] }))).toBe(true);
    expect(sees(SYSTEM, new Set())).toBe(true);
  });

  it('lets a professional read the messages they sent or received', () => {
    const p = pro('810001');
    expect(sees(p, tokensOf({ sender: 'Practitioner/810001', recipients: ['Patient/anna'] }))).toBe(true);
    expect(sees(p, tokensOf({ sender: 'Patient/anna', recipients: ['Practitioner/1', 'Practitioner/810001'] }))).toBe(true);
    expect(sees(p, tokensOf({ sender: 'Patient/anna', recipients: ['Practitioner/1'] }))).toBe(false);
    expect(sees(p, noise)).toBe(false);
  });

  it('lets a professional read the messages of the structure of their practice situation, not of another', () => {
    const p = pro('810001', 'org-1');
    expect(sees(p, tokensOf({ sender: 'Organization/org-1', recipients: ['Patient/anna'] }))).toBe(true);
    expect(sees(p, tokensOf({ sender: 'Patient/anna', recipients: ['Organization/org-1'] }))).toBe(true);
    expect(sees(p, tokensOf({ sender: 'Patient/anna', recipients: ['Organization/org-2'] }))).toBe(false);
    // the same id under another type is someone else
    expect(sees(p, tokensOf({ sender: 'Practitioner/org-1', recipients: ['Organization/810001', 'Patient/810001'] }))).toBe(false);
  });

  it('does not take other references of the message for participation', () => {
    const p = pro('810001', 'org-1');
    expect(sees(p, new Set(['subject=Practitioner/810001', 'encounter=Organization/org-1', 'sender:identifier=Practitioner/810001']))).toBe(false);
  });

  it('lets a professional without a practitioner id read nothing, their structure’s messages included', () => {
    for (const p of [pro(undefined), pro(undefined, 'org-1'), pro('', 'org-1')]) {
      expect(messagePredicate(p)).toBe(false);
      expect(sees(p, tokensOf({ sender: 'Organization/org-1', recipients: ['Practitioner/', 'Organization/org-1'] }))).toBe(false);
    }
  });

  it('lets an operator read no message', () => {
    expect(messagePredicate(user('operator', { practitionerId: '810001' }))).toBe(false);
  });

  it('is "not a draft, and the professional, or the structure of their practice, is the sender or a recipient" (property)', () => {
    const ids = fc.constantFrom('1', '2', '3', 'org-1');
    const ref = fc.tuple(fc.constantFrom('Practitioner', 'Organization', 'Patient'), ids).map(([t, id]) => `${t}/${id}`);
    const other = fc.tuple(fc.constantFrom('subject', 'encounter', 'part-of', 'about', 'status', 'sender:identifier'), ref).map(([k, r]) => `${k}=${r}`);
    const message = fc.record({
      sender: fc.option(ref, { nil: undefined }),
      recipients: fc.array(ref, { maxLength: 4 }),
      others: fc.array(other, { maxLength: 3 }),
      status: fc.constantFrom('completed', 'preparation', 'in-progress'),
    });
    const professional = fc.record({
      practitionerId: fc.option(ids, { nil: undefined }),
      organizationId: fc.option(ids, { nil: undefined }),
    });
    fc.assert(
      fc.property(professional, message, ({ practitionerId, organizationId }, m) => {
        const p = pro(practitionerId, organizationId);
        const mine = practitionerId ? [`Practitioner/${practitionerId}`, ...(organizationId ? [`Organization/${organizationId}`] : [])] : [];
        const takesPart = mine.some((r) => r === m.sender || m.recipients.includes(r));
        const tokens = tokensOf(m);
        tokens.add(`status=${m.status}`);
        expect(sees(p, tokens)).toBe(takesPart && m.status !== 'preparation');
      }),
      { numRuns: 1000 },
    );
  });
});
