import { ORGAN_DONATION_POSITIONS, type OrganDonationInput } from '../../../contract/profile.js';
import { PROFILE_TOKENS } from '../../access/profile.js';
import { TERMINOLOGY } from '../systems.js';
import { Checker, compact, EXT, extValue, ref, sectionCoding, type Json } from './common.js';

export const ORGAN_DONATION = 'organ-donation';
/** The search token of the organ-donation Consent (the repository's singleton check, the access policy's rows). */
export const ORGAN_DONATION_TOKEN = PROFILE_TOKENS.category(ORGAN_DONATION);

export function parseOrganDonation(body: Json, now: Date): OrganDonationInput {
  const c = new Checker(body, now);
  const input: OrganDonationInput = compact({
    position: c.oneOf('position', ORGAN_DONATION_POSITIONS)!,
    informedRelatives: c.bool('informedRelatives'),
    comment: c.optText('comment', 2000),
  });
  c.done();
  return input;
}

/**
 * Don d'organes: a Consent of scope adr and category `organ-donation` (one per record); the position as an
 * extension, and as provision.type when it is a decision (permit: donor, deny: refuses); the patient's
 * "j'ai informé mes proches" as an extension.
 */
export function organDonationToFhir(input: OrganDonationInput, patientId: string, extension: Json[], now: Date): Json {
  return compact({
    resourceType: 'Consent',
    meta: { tag: [sectionCoding(ORGAN_DONATION)] },
    extension: [
      ...extension,
      { url: EXT.organDonationPosition, valueCode: input.position },
      { url: EXT.informedRelatives, valueBoolean: input.informedRelatives },
      ...(input.comment ? [{ url: EXT.comment, valueString: input.comment }] : []),
    ],
    status: 'active',
    scope: { coding: [{ system: TERMINOLOGY.consentScope, code: 'adr', display: 'Advanced Care Directive' }] },
    category: [{ coding: [sectionCoding(ORGAN_DONATION)], text: "Don d'organes" }],
    patient: ref('Patient', patientId),
    dateTime: now.toISOString(),
    policyRule: { text: "Don d'organes et de tissus après la mort (code de la santé publique, articles L1232-1 et suivants)" },
    provision: input.position === 'UNDECIDED' ? undefined : { type: input.position === 'DONOR' ? 'permit' : 'deny' },
  });
}

export function isOrganDonation(r: Json): boolean {
  return (
    r.resourceType === 'Consent' &&
    ((r.category ?? []) as Json[]).some((c) => ((c.coding ?? []) as Json[]).some((x) => x.system === sectionCoding(ORGAN_DONATION).system && x.code === ORGAN_DONATION))
  );
}

export function organDonationFromFhir(r: Json): OrganDonationInput {
  const position = extValue<string>(r, EXT.organDonationPosition, 'valueCode');
  const type = (r.provision as Json | undefined)?.type;
  return compact({
    position: (ORGAN_DONATION_POSITIONS as readonly (string | undefined)[]).includes(position)
      ? (position as OrganDonationInput['position'])
      : type === 'permit'
        ? 'DONOR'
        : type === 'deny'
          ? 'REFUSES'
          : 'UNDECIDED',
    informedRelatives: extValue<boolean>(r, EXT.informedRelatives, 'valueBoolean') === true,
    comment: extValue<string>(r, EXT.comment, 'valueString'),
  });
}
