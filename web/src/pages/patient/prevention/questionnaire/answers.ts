/**
 * The questionnaire player's rules, without React: which questions are asked given the answers (FHIR enableWhen,
 * evaluated as the server does: a question is asked when any of its conditions holds, a condition holding when
 * the other question, itself asked, has the given answer code, or has it among its checked codes), the answers to send (those of the questions asked, empty ones
 * left out), and the ids of the inputs each question gives (for error links).
 */
import type { AnswerValue, QuestionnaireView, QuestionView } from '../../../../prevention-types';

export type Answers = Record<string, AnswerValue>;

/** Every question of the questionnaire, in order, by linkId. */
export function questionsOf(q: QuestionnaireView): Map<string, QuestionView> {
  return new Map(q.groups.flatMap((g) => g.questions.map((question) => [question.linkId, question] as const)));
}

const hasAnswer = (value: AnswerValue | undefined, code: string): boolean =>
  Array.isArray(value) ? value.includes(code) : value === code;

/**
 * The linkIds of the questions asked: a question without enableWhen always is; one with conditions is asked when
 * any of them holds (FHIR enableBehavior "any", as the server reads the questionnaires), each on a question that
 * is itself asked (a chain of conditions hides the whole chain).
 */
export function enabledQuestions(q: QuestionnaireView, answers: Answers): Set<string> {
  const all = questionsOf(q);
  const memo = new Map<string, boolean>();
  const visit = (linkId: string, seen: Set<string>): boolean => {
    const known = memo.get(linkId);
    if (known !== undefined) return known;
    const question = all.get(linkId);
    if (!question || seen.has(linkId)) return false; // an unknown question or a cycle: not asked
    seen.add(linkId);
    const conditions = question.enableWhen ?? [];
    const ok = conditions.length === 0 || conditions.some((c) => visit(c.question, seen) && hasAnswer(answers[c.question], c.answer));
    seen.delete(linkId);
    memo.set(linkId, ok);
    return ok;
  };
  return new Set([...all.keys()].filter((id) => visit(id, new Set())));
}

/** Whether an answer says something: a non-blank text or code, or at least one checked box. */
export function isAnswered(value: AnswerValue | undefined): boolean {
  return Array.isArray(value) ? value.length > 0 : typeof value === 'string' && value.trim() !== '';
}

/** The answers to send: those of the questions asked, non-empty, texts trimmed. */
export function answersToSend(q: QuestionnaireView, answers: Answers): Answers {
  const enabled = enabledQuestions(q, answers);
  const out: Answers = {};
  for (const [linkId, value] of Object.entries(answers)) {
    if (!enabled.has(linkId) || !isAnswered(value)) continue;
    out[linkId] = Array.isArray(value) ? value : value.trim();
  }
  return out;
}

/** The id of a question's element: the textarea, or the fieldset of its radios or checkboxes. */
export const questionId = (linkId: string): string => `qr-${linkId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** The id of the input an error links to: the textarea, or the first radio or checkbox. */
export const inputIdOf = (question: QuestionView): string =>
  question.kind === 'text' ? questionId(question.linkId) : `${questionId(question.linkId)}-0`;

/** The label of an answer, for the read-only view: the options' labels, or the text. */
export function answerLabel(question: QuestionView, value: AnswerValue | undefined): string | undefined {
  if (!isAnswered(value)) return undefined;
  if (question.kind === 'text') return String(value);
  const codes = Array.isArray(value) ? value : [value!];
  return codes.map((code) => question.options?.find((o) => o.code === code)?.label ?? code).join(', ');
}
