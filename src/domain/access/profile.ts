import { any, matches, not, type TokenPredicate } from './token-predicate.js';

/**
 * What professionals see of the medical profile (issue 8, domain.md §2.8): vaccinations, "mon histoire de
 * santé" (the care episodes of the record), and "entourage et volontés" (contacts, the personne de confiance,
 * organ donation and advance directives). The rest of the profile (diseases, treatments, allergies,
 * hospitalisations, family history, disabilities, measures, blood group, habits, agenda) is the patient's own.
 * The patient may close the two sections "mon histoire de santé" and "entourage et volontés" to professionals.
 */
export const CLOSABLE_SECTIONS = ['health-history', 'entourage'] as const;
export type ClosableSection = (typeof CLOSABLE_SECTIONS)[number];

export function isClosableSection(v: unknown): v is ClosableSection {
  return typeof v === 'string' && (CLOSABLE_SECTIONS as readonly string[]).includes(v);
}

/** The code system of Carnet's profile categories (Consent.category, Condition.category...). */
export const PROFILE_CATEGORY_SYSTEM = 'https://carnet.example/fhir/CodeSystem/profile-section';

/** The Consent categories that belong to "entourage et volontés". */
export const WISHES_CONSENT_CATEGORIES = ['organ-donation', 'advance-directive'] as const;

/** The whole-type members of each closable section: a professional reads none of them once it is closed. */
export const SECTION_TYPES: Readonly<Record<ClosableSection, ReadonlySet<string>>> = {
  'health-history': new Set(['Procedure']),
  entourage: new Set(['RelatedPerson']),
};

/** The types narrowed row by row by the profile's sections: a Consent may be a wish (organ donation...). */
export const PROFILE_ROW_TYPES: ReadonlySet<string> = new Set(['Consent']);

export const PROFILE_TOKENS = {
  category: (code: string) => `category=${PROFILE_CATEGORY_SYSTEM}|${code}`,
} as const;

/** The section a whole type belongs to, if it is closable. */
export function closableSectionOf(resourceType: string): ClosableSection | undefined {
  return CLOSABLE_SECTIONS.find((s) => SECTION_TYPES[s].has(resourceType));
}

/** The document type of advance directives (JDV_J66 EXPPAT_3): part of "entourage et volontés". */
export const ADVANCE_DIRECTIVE_TYPE_CODE = 'EXPPAT_3';

/** The condition a Consent must meet for a professional: no wish of a closed "entourage et volontés". */
export function profileRowPredicate(closed: readonly ClosableSection[] | undefined): TokenPredicate {
  if (!closed?.includes('entourage')) return true;
  return not(any(WISHES_CONSENT_CATEGORIES.map(PROFILE_TOKENS.category)));
}

/** Whether a resource (given by its search tokens) is one of the patient's wishes: the patient side records them. */
export function isPatientWish(resourceType: string, tokens: ReadonlySet<string>): boolean {
  return PROFILE_ROW_TYPES.has(resourceType) && !matches(profileRowPredicate(['entourage']), tokens);
}
