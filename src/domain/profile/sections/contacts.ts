import { CONTACT_KINDS, CONTACT_RELATIONS, type ContactInput } from '../../../contract/profile.js';
import { Checker, codeIn, compact, CS, ref, sectionMeta, type Json } from './common.js';

/** The contact kind of the personne de confiance: at most one per record. */
export const TRUSTED_CONTACT = 'TRUSTED_CONTACT';

/** The search token of the personne de confiance among RelatedPerson (the repository's singleton check). */
export const TRUSTED_CONTACT_TOKEN = `relationship=${CS.contactKind}|${TRUSTED_CONTACT}`;

/**
 * Entourage: a RelatedPerson, the contact kind and the relation as two relationship codings (Carnet's
 * contact-kind and contact-relation code systems).
 */
export function parseContact(body: Json, now: Date): ContactInput {
  const c = new Checker(body, now);
  const email = c.optText('email', 254);
  if (email !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) c.fail('email', 'email is an e-mail address');
  const phone = c.optText('phone', 30);
  if (phone !== undefined && !/^\+?[0-9 .()-]{6,30}$/.test(phone)) c.fail('phone', 'phone is a telephone number (digits, spaces, + . - ( ))');
  const input: ContactInput = compact({
    kind: c.oneOf('kind', CONTACT_KINDS)!,
    relation: c.oneOf('relation', CONTACT_RELATIONS)!,
    firstName: c.text('firstName', 100),
    lastName: c.text('lastName', 100),
    phone,
    email,
    address: c.optText('address', 300),
  });
  c.done();
  return input;
}

export function contactToFhir(input: ContactInput, patientId: string, extension: Json[]): Json {
  const telecom = [...(input.phone ? [{ system: 'phone', value: input.phone }] : []), ...(input.email ? [{ system: 'email', value: input.email }] : [])];
  return compact({
    resourceType: 'RelatedPerson',
    meta: sectionMeta('contacts'),
    extension,
    active: true,
    patient: ref('Patient', patientId),
    relationship: [{ coding: [{ system: CS.contactKind, code: input.kind }] }, { coding: [{ system: CS.contactRelation, code: input.relation }] }],
    name: [{ family: input.lastName, given: [input.firstName] }],
    telecom: telecom.length ? telecom : undefined,
    address: input.address ? [{ text: input.address }] : undefined,
  });
}

export function contactFromFhir(r: Json): ContactInput {
  const rels = (r.relationship ?? []) as Json[];
  const kind = rels.map((x) => codeIn(x, CS.contactKind)).find(Boolean);
  const relation = rels.map((x) => codeIn(x, CS.contactRelation)).find(Boolean);
  const name = ((r.name as Json[] | undefined)?.[0] ?? {}) as { family?: string; given?: string[]; text?: string };
  const telecom = (r.telecom ?? []) as { system?: string; value?: string }[];
  const address = (r.address as Json[] | undefined)?.[0] as { text?: string; line?: string[]; city?: string } | undefined;
  return compact({
    kind: (CONTACT_KINDS as readonly (string | undefined)[]).includes(kind) ? (kind as ContactInput['kind']) : 'EMERGENCY_CONTACT',
    relation: (CONTACT_RELATIONS as readonly (string | undefined)[]).includes(relation) ? (relation as ContactInput['relation']) : 'OTHER',
    firstName: name.given?.join(' ') ?? '',
    lastName: name.family ?? name.text ?? '',
    phone: telecom.find((t) => t.system === 'phone')?.value,
    email: telecom.find((t) => t.system === 'email')?.value,
    address: address?.text ?? ([...(address?.line ?? []), address?.city].filter(Boolean).join(', ') || undefined),
  });
}
