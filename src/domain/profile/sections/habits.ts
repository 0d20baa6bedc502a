import { HABIT_TOPICS, type HabitInput } from '../../../contract/profile.js';
import { HABIT_TOPIC_LABELS } from '../labels.js';
import { TERMINOLOGY } from '../systems.js';
import { writtenBy } from '../../../fhir/written-by.js';
import { Checker, codeIn, compact, CS, parisToday, ref, sectionCoding, sectionMeta, type Json } from './common.js';

/** Habitudes de vie: an Observation of categories social-history and `habits`, the topic as its code, the answer as valueString. */
export function parseHabit(body: Json, now: Date): HabitInput {
  const c = new Checker(body, now);
  const input: HabitInput = compact({
    topic: c.oneOf('topic', HABIT_TOPICS)!,
    answer: c.text('answer', 2000),
    date: c.civilDate('date', false) ?? parisToday(now),
  });
  c.done();
  return input;
}

export function habitToFhir(input: HabitInput, patientId: string, extension: Json[]): Json {
  return compact({
    resourceType: 'Observation',
    meta: sectionMeta('habits'),
    extension,
    status: 'final',
    category: [{ coding: [{ system: TERMINOLOGY.observationCategory, code: 'social-history' }] }, { coding: [sectionCoding('habits')] }],
    code: { coding: [{ system: CS.habitTopic, code: input.topic, display: HABIT_TOPIC_LABELS[input.topic] }], text: HABIT_TOPIC_LABELS[input.topic] },
    subject: ref('Patient', patientId),
    effectiveDateTime: input.date,
    valueString: input.answer,
  });
}

/**
 * The QuestionnaireResponse a habit was pre-filled from (issue 9, key-age questionnaires), if any. Carnet
 * pre-fills as the person finalising (written-by patient): an entry a connected app or a professional wrote is
 * theirs, whatever its `derivedFrom` says (the tag is the repository's, not the client's: fhir/written-by.ts).
 */
function quizOf(r: Json): string | undefined {
  if (writtenBy(r) !== 'patient') return undefined;
  const refs = (Array.isArray(r.derivedFrom) ? (r.derivedFrom as Json[]) : []).map((d) => d.reference);
  const ref = refs.find((x): x is string => typeof x === 'string' && x.startsWith('QuestionnaireResponse/'));
  return ref?.slice('QuestionnaireResponse/'.length);
}

export function habitFromFhir(r: Json): HabitInput & { origin?: 'QUIZ'; questionnaireResponseId?: string } {
  const topic = codeIn(r.code, CS.habitTopic);
  const quiz = quizOf(r);
  return compact({
    topic: (HABIT_TOPICS as readonly (string | undefined)[]).includes(topic) ? (topic as HabitInput['topic']) : 'FOOD',
    answer: typeof r.valueString === 'string' ? r.valueString : '',
    date: typeof r.effectiveDateTime === 'string' ? r.effectiveDateTime.slice(0, 10) : undefined,
    ...(quiz ? { origin: 'QUIZ' as const, questionnaireResponseId: quiz } : {}),
  });
}
