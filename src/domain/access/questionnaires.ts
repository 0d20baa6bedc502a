import { QUESTIONNAIRE_URL_PREFIX } from '../prevention/questionnaire/model.js';

/**
 * The key-age questionnaires (issue 9) are the files Carnet ships (data/prevention/questionnaires): the
 * application API serves them from those files, and Carnet writes the same resources to the FHIR store at
 * start for /fhir readers. Operators administer the other Questionnaires (a directory type); these are Carnet's
 * alone to write, so that what a connected app reads on /fhir is what the player shows and the PDF prints.
 * Recognised by their id (`key-age-…`, also for an update or a deletion that would change or remove one) or
 * by their canonical URL (`urn:carnet:questionnaire:key-age-…`, for a resource written under another id).
 */
export const SHIPPED_QUESTIONNAIRE_ID_PREFIX = 'key-age-';

export function isShippedQuestionnaire(resourceType: string, id: string | undefined, tokens: ReadonlySet<string> | undefined): boolean {
  if (resourceType !== 'Questionnaire') return false;
  if (id?.startsWith(SHIPPED_QUESTIONNAIRE_ID_PREFIX)) return true;
  for (const t of tokens ?? []) if (t.startsWith(`url=${QUESTIONNAIRE_URL_PREFIX}`)) return true;
  return false;
}
