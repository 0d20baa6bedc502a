import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Relation } from '../access/principal.js';
import {
  mayPatientReply,
  mayPatientStart,
  mayStartWithPatient,
  onBehalfNote,
  PHARMACY_LOOKBACK_DAYS,
  recipientVerdict,
  type ProfileState,
  type SenderKind,
} from './rules.js';

const STATES: ProfileState[] = ['imported', 'notified', 'opposed', 'open', 'active', 'suspended', 'closed', 'deleted', 'none'];

describe('recipientVerdict', () => {
  it('accepts mail for an active profile', () => {
    expect(recipientVerdict('active')).toEqual({ accept: true });
  });

  it.each(['closed', 'suspended', 'deleted'] as const)('refuses mail for a %s profile as closed (550 5.2.1)', (state) => {
    expect(recipientVerdict(state)).toEqual({ accept: false, reason: 'closed' });
  });

  it.each(['imported', 'notified', 'opposed', 'open', 'none'] as const)('refuses mail for a %s profile as unknown (550 5.1.1)', (state) => {
    expect(recipientVerdict(state)).toEqual({ accept: false, reason: 'unknown' });
  });

  it('accepts exactly one state of them all', () => {
    expect(STATES.filter((s) => recipientVerdict(s).accept)).toEqual(['active']);
  });
});

describe('mayStartWithPatient', () => {
  it('lets a professional (or an establishment) start a conversation', () => {
    expect(mayStartWithPatient('professional')).toEqual({ allow: true });
  });

  it.each(['patient-side', 'unknown'] as SenderKind[])('refuses a %s sender', (sender) => {
    const v = mayStartWithPatient(sender);
    expect(v).toMatchObject({ allow: false, code: 'messages.patient-cannot-start' });
    if (!v.allow) expect(v.reason.trim()).not.toBe('');
  });
});

describe('mayPatientReply', () => {
  it('lets a patient reply to a conversation nobody ended, trashed or not', () => {
    expect(mayPatientReply({})).toEqual({ allow: true });
    expect(mayPatientReply({ closedAt: null })).toEqual({ allow: true });
    expect(mayPatientReply({ closedAt: undefined, trashed: true })).toEqual({ allow: true });
    expect(mayPatientReply({ trashed: false })).toEqual({ allow: true });
  });

  it('refuses a reply once a professional ended the conversation, trashed or not', () => {
    for (const trashed of [undefined, false, true]) {
      const v = mayPatientReply({ closedAt: '2025-03-14T10:00:00Z', ...(trashed === undefined ? {} : { trashed }) });
      expect(v).toMatchObject({ allow: false, code: 'messages.conversation-ended' });
      if (!v.allow) expect(v.reason.trim()).not.toBe('');
    }
  });

  it('allows a reply iff the conversation has no end date (property)', () => {
    const closedAt = fc.oneof(
      fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constant(null),
      fc.constant(undefined),
    );
    fc.assert(
      fc.property(closedAt, fc.option(fc.boolean(), { nil: undefined }), (end, trashed) => {
        const v = mayPatientReply({ closedAt: end, ...(trashed === undefined ? {} : { trashed }) });
        expect(v.allow).toBe(!end);
      }),
      { numRuns: 100 },
    );
  });
});

describe('mayPatientStart', () => {
  it('lets a patient write to a pharmacy that has a mailbox', () => {
    expect(mayPatientStart({ hasMailbox: true, pharmacy: true, openConversation: false })).toEqual({ allow: true });
  });

  it('lets a patient write to a professional who wrote to them and did not end the exchange', () => {
    expect(mayPatientStart({ hasMailbox: true, pharmacy: false, openConversation: true })).toEqual({ allow: true });
  });

  it('refuses a professional who never wrote to the patient, or ended the exchange', () => {
    expect(mayPatientStart({ hasMailbox: true, pharmacy: false, openConversation: false })).toMatchObject({
      allow: false,
      code: 'messages.recipient-not-allowed',
    });
  });

  it('refuses any recipient without a mailbox, a pharmacy or a correspondent included', () => {
    for (const pharmacy of [false, true]) {
      for (const openConversation of [false, true]) {
        expect(mayPatientStart({ hasMailbox: false, pharmacy, openConversation })).toMatchObject({ allow: false, code: 'messages.no-mailbox' });
      }
    }
  });

  it('allows iff hasMailbox && (pharmacy || openConversation), with a reason and a code otherwise (property)', () => {
    fc.assert(
      fc.property(fc.record({ hasMailbox: fc.boolean(), pharmacy: fc.boolean(), openConversation: fc.boolean() }), (contact) => {
        const v = mayPatientStart(contact);
        expect(v.allow).toBe(contact.hasMailbox && (contact.pharmacy || contact.openConversation));
        if (!v.allow) {
          expect(v.code).toBe(contact.hasMailbox ? 'messages.recipient-not-allowed' : 'messages.no-mailbox');
          expect(v.reason.trim()).not.toBe('');
        } else {
          expect(v).toEqual({ allow: true });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('looks back 12 months for the pharmacies already used', () => {
    expect(PHARMACY_LOOKBACK_DAYS).toBe(365);
  });
});

describe('onBehalfNote', () => {
  it('adds nothing when the patient wrote the message', () => {
    expect(onBehalfNote('self', 'Anna Martin', 'Anna Martin')).toBeUndefined();
  });

  it.each([
    ['parent', 'Ce message a été rédigé par Marie Dupont, son parent, pour le compte de Léo Dupont.'],
    ['legal-representative', 'Ce message a été rédigé par Marie Dupont, son représentant légal, pour le compte de Léo Dupont.'],
    ['carer', 'Ce message a été rédigé par Marie Dupont, son aidant, pour le compte de Léo Dupont.'],
  ] as [Relation, string][])('states in French who wrote for the patient (%s)', (relation, note) => {
    expect(onBehalfNote(relation, 'Marie Dupont', 'Léo Dupont')).toBe(note);
  });

  it('names the author and the patient for every relation but self (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom<Relation>('parent', 'legal-representative', 'carer'), fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (relation, author, patient) => {
        const note = onBehalfNote(relation, author, patient);
        expect(note).toBeDefined();
        expect(note!.startsWith(`Ce message a été rédigé par ${author}, `)).toBe(true);
        expect(note!.endsWith(`, pour le compte de ${patient}.`)).toBe(true);
        expect(note).not.toContain('undefined');
      }),
      { numRuns: 100 },
    );
  });
});
