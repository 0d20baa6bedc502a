import { habitAnswers, type Answers, type KeyAgeQuestionnaire } from '../../../domain/prevention/questionnaire/index.js';
import { SECTIONS, sourceExtension } from '../../../domain/profile/sections/index.js';
import { habitToFhir } from '../../../domain/profile/sections/habits.js';
import type { FhirOperations, RequestContext } from '../../../repo/index.js';
import { sourceOfCaller } from '../../profile/sections.js';

/**
 * Pre-fills "habitudes de vie" (issue 8's habits section) from a finalised key-age questionnaire, in the
 * finalising unit of work: one entry per habit topic the answers speak of (FOOD, PHYSICAL_ACTIVITY, SLEEP,
 * SCREEN, ALCOHOL, TOBACCO), built as the section builds its entries (parseHabit, habitToFhir, the entry-source
 * of the caller; the repository stamps `meta.tag written-by`), dated today, with `derivedFrom` the
 * QuestionnaireResponse: the section shows it with origin QUIZ (habits.ts habitFromFhir). Returns the ids.
 */
export async function prefillHabits(ops: FhirOperations, ctx: RequestContext, patientId: string, responseId: string, q: KeyAgeQuestionnaire, answers: Answers, today: string): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of habitAnswers(q, answers)) {
    const input = SECTIONS.habits.parse({ topic: entry.topic, answer: entry.answer, date: today }, ctx.now());
    const resource = { ...habitToFhir(input, patientId, [sourceExtension(sourceOfCaller(ctx))]), derivedFrom: [{ reference: `QuestionnaireResponse/${responseId}` }] };
    const { version } = await ops.create(resource);
    ids.push(version.id);
  }
  return ids;
}
