import { registerSingleton } from '../rules.js';
import { BLOOD_GROUP_TOKEN, isBloodGroup } from './blood-group.js';
import { codeIn, CS, type Json } from './common.js';
import { TRUSTED_CONTACT, TRUSTED_CONTACT_TOKEN } from './contacts.js';
import { isOrganDonation, ORGAN_DONATION_TOKEN } from './organ-donation.js';

/**
 * The resources a record holds at most one of, registered with the repository's singleton check (rules.ts):
 * whoever writes them (the web app's API, /fhir, an import) gets 409 for a second one. Imported by the
 * profile's services, which the routes load at start.
 */
let registered = false;

export function registerProfileSingletons(): void {
  if (registered) return;
  registered = true;
  registerSingleton((r: Json) =>
    isBloodGroup(r)
      ? { token: BLOOD_GROUP_TOKEN, code: 'blood-group.exists', expression: 'Observation.code', message: 'A blood group is already recorded in this record: change it instead of adding another' }
      : undefined,
  );
  registerSingleton((r: Json) =>
    isOrganDonation(r)
      ? { token: ORGAN_DONATION_TOKEN, code: 'organ-donation.exists', expression: 'Consent.category', message: 'The organ-donation wish is already recorded in this record: change it instead of adding another' }
      : undefined,
  );
  registerSingleton((r: Json) =>
    r.resourceType === 'RelatedPerson' && ((r.relationship ?? []) as Json[]).some((x) => codeIn(x, CS.contactKind) === TRUSTED_CONTACT)
      ? { token: TRUSTED_CONTACT_TOKEN, code: 'contacts.trusted-exists', expression: 'RelatedPerson.relationship', message: 'A personne de confiance is already named in this record: change it instead of adding another' }
      : undefined,
  );
}

registerProfileSingletons();
