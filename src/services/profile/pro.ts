import type { Contact, ProProfile, Vaccination } from '../../contract/profile.js';
import type { Json } from '../../domain/profile/sections/index.js';
import { AppError, forbidden } from '../../errors.js';
import type { RequestContext, StoredVersion } from '../../repo/index.js';
import { directiveView } from '../profile-documents/directives.js';
import type { ProfileDeps } from './deps.js';
import { entryView, search } from './sections.js';
import { closedSections } from './settings.js';
import { currentOrganDonation, organDonationView } from './singles.js';
import { PROFILE_CATEGORY_SYSTEM } from '../../domain/profile/systems.js';

/**
 * What a professional sees of a patient's profile (domain.md §2.8): the vaccinations, and "entourage et
 * volontés" (contacts, the personne de confiance, organ donation, advance directives), read through the
 * repository with the professional's context, so that the access policy decides and every read is in the
 * patient's access history. A section the patient closed comes back as closed, not as an error.
 */

function professional(ctx: RequestContext): void {
  if (ctx.principal.role !== 'professional' || !ctx.principal.practitionerId) throw forbidden('This is for health professionals').withCode('pro.only');
}

const byNewest = (a: StoredVersion, b: StoredVersion) => b.lastUpdated.localeCompare(a.lastUpdated);

/** GET /api/pro/patients/:id/profile */
export async function proProfile(deps: ProfileDeps, ctx: RequestContext, patientId: string): Promise<ProProfile> {
  professional(ctx);
  // the vaccinations: a professional without access is refused here (403, audited in the record)
  const vaccinations = await deps.repo.run(
    ctx,
    async (ops) => {
      const found = await search(ops, deps.fhirBase, 'Immunization', { patient: patientId });
      return found.versions
        .map((v) => entryView('vaccinations', v) as unknown as Vaccination)
        .sort((a, b) => b.date.localeCompare(a.date) || b.updatedAt.localeCompare(a.updatedAt));
    },
    { readOnly: true },
  );
  let entourage: ProProfile['entourage'];
  try {
    entourage = await deps.repo.run(
      ctx,
      async (ops) => {
        const contacts = (await search(ops, deps.fhirBase, 'RelatedPerson', { patient: patientId, _tag: `${PROFILE_CATEGORY_SYSTEM}|contacts` })).versions.map(
          (v) => entryView('contacts', v) as unknown as Contact,
        );
        const organ = await currentOrganDonation(ops, deps.fhirBase, patientId);
        const directives = (await search(ops, deps.fhirBase, 'Consent', { patient: patientId, category: `${PROFILE_CATEGORY_SYSTEM}|advance-directive`, status: 'active' })).versions.sort(byNewest);
        const current = directives.map((v) => directiveView(JSON.parse(v.content!) as Json)).find((d) => d !== undefined);
        // the policy filters the wishes of a closed "entourage et volontés" row by row
        return { closed: false, contacts: contacts.sort((a, b) => (a.kind === 'TRUSTED_CONTACT' ? -1 : b.kind === 'TRUSTED_CONTACT' ? 1 : 0) || a.lastName.localeCompare(b.lastName, 'fr')), organDonation: organ ? organDonationView(organ) : null, advanceDirective: current ?? null };
      },
      { readOnly: true },
    );
  } catch (err) {
    // the patient closed the section: the policy refused the type (and the refusal is in the record's trail)
    if (err instanceof AppError && err.status === 403 && (await closedSections(deps.db, patientId)).includes('entourage')) {
      entourage = { closed: true, contacts: [], organDonation: null, advanceDirective: null };
    } else throw err;
  }
  return { vaccinations, entourage };
}
