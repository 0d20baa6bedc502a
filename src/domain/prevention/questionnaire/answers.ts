import type { AnswerValue } from '../../../contract/prevention.js';
import { AppError, badRequest } from '../../../errors.js';
import { TEXT_MAX_LENGTH, type Answers, type HabitTopic, type KeyAgeQuestionnaire, type QuestionDef } from './model.js';

/**
 * The answers of a response, checked against the version of the questionnaire it was started on: every key a
 * question of that version, every value one its kind accepts (a radio one of its options, a checkbox a list of
 * its options, a text at most 2,000 characters). Answers to questions their enableWhen leaves disabled are
 * DROPPED, not refused: a person who changes "Fumez-vous ?" from "tous les jours" to "non" may still send the
 * number of cigarettes the page showed a moment ago (docs/prevention.md). Pure.
 */

/** At most this many answers in one request (a version has far fewer questions). */
const MAX_ANSWERS = 300;
/** A linkId holds at most this many characters (Carnet's are a few words); longer keys are no question. */
const LINK_ID_MAX = 100;
/** A refusal names at most this many unknown linkIds. */
const UNKNOWN_LISTED = 20;
/**
 * What a text cannot hold: the control characters FHIR strings refuse (all but tab, line feed and carriage
 * return) and halves of a surrogate pair, which no store keeps. Refused as an answer the question does not
 * accept, naming it, rather than failing later on the FHIR path or in the database.
 */
const UNSTORABLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const has = (value: AnswerValue | undefined, code: string): boolean => value === code || (Array.isArray(value) && value.includes(code));

/** Whether a question is enabled by these answers, given the questions enabled before it. */
function isEnabled(d: QuestionDef, answers: Answers, enabled: ReadonlySet<string>): boolean {
  return d.enableWhen.length === 0 || d.enableWhen.some((c) => enabled.has(c.question) && has(answers[c.question], c.answer));
}

/**
 * The questions these answers enable, in document order: a question without enableWhen always; one with
 * conditions when any holds on a question itself enabled (a disabled question has no answer, so it enables
 * nothing: the FHIR rule). Conditions name earlier questions only (parse.ts), so one pass is enough.
 */
export function enabledQuestions(q: KeyAgeQuestionnaire, answers: Answers): Set<string> {
  const enabled = new Set<string>();
  for (const d of q.questions.values()) if (isEnabled(d, answers, enabled)) enabled.add(d.linkId);
  return enabled;
}

export interface CheckedAnswers {
  /** The answers kept: those of enabled questions, checkbox codes in the options' order, texts trimmed. */
  answers: Answers;
  /** The questions answered but not enabled, whose answers were dropped. */
  dropped: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks the answers of a request against a version. 400 request.invalid (field `answers`) when they are not
 * an object of answers; 422 questionnaire.unknown-question naming every linkId that is not a question of the
 * version (groups are not questions); 422 questionnaire.invalid-answer naming every question whose value its
 * kind refuses; 422 questionnaire.answer-too-long naming every text over 2,000 characters. An empty answer
 * (null, '', []) is no answer.
 */
export function checkAnswers(q: KeyAgeQuestionnaire, input: unknown): CheckedAnswers {
  if (input === undefined || input === null) return { answers: {}, dropped: [] };
  if (!isObject(input)) throw badRequest('answers is an object: question linkId → answer', ['answers']).withCode('request.invalid');
  const keys = Object.keys(input);
  if (keys.length > MAX_ANSWERS) throw badRequest(`answers holds at most ${MAX_ANSWERS} answers`, ['answers']).withCode('request.invalid');
  if (keys.some((k) => k.length > LINK_ID_MAX)) throw badRequest(`answers: a question's linkId holds at most ${LINK_ID_MAX} characters`, ['answers']).withCode('request.invalid');
  const unknown = keys.filter((k) => !q.questions.has(k)).slice(0, UNKNOWN_LISTED);
  if (unknown.length) {
    throw new AppError(422, 'business-rule', `${unknown.join(', ')}: not a question of ${q.title} (version ${q.version})`, unknown).withCode('questionnaire.unknown-question');
  }
  const invalid: string[] = [];
  const tooLong: string[] = [];
  const given: Answers = {};
  for (const d of q.questions.values()) {
    if (!Object.hasOwn(input, d.linkId)) continue;
    const value = input[d.linkId];
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    const codes = new Set(d.options.map((o) => o.code));
    if (d.kind === 'radio') {
      if (typeof value === 'string' && codes.has(value)) given[d.linkId] = value;
      else invalid.push(d.linkId);
    } else if (d.kind === 'checkbox') {
      const ok = Array.isArray(value) && value.every((v) => typeof v === 'string' && codes.has(v)) && new Set(value).size === value.length;
      if (ok) given[d.linkId] = d.options.map((o) => o.code).filter((c) => (value as string[]).includes(c));
      else invalid.push(d.linkId);
    } else if (typeof value !== 'string' || UNSTORABLE.test(value)) {
      invalid.push(d.linkId);
    } else if (value.trim().length > TEXT_MAX_LENGTH) {
      tooLong.push(d.linkId);
    } else if (value.trim() !== '') {
      given[d.linkId] = value.trim();
    }
  }
  if (invalid.length) {
    throw new AppError(422, 'business-rule', `${invalid.join(', ')}: not an answer this question accepts`, invalid).withCode('questionnaire.invalid-answer');
  }
  if (tooLong.length) {
    throw new AppError(422, 'business-rule', `${tooLong.join(', ')}: an answer holds at most ${TEXT_MAX_LENGTH} characters`, tooLong).withCode('questionnaire.answer-too-long');
  }
  const enabled = enabledQuestions(q, given);
  const answers: Answers = {};
  const dropped: string[] = [];
  for (const [linkId, value] of Object.entries(given)) {
    if (enabled.has(linkId)) answers[linkId] = value;
    else dropped.push(linkId);
  }
  return { answers, dropped };
}

/** The enabled required questions without an answer (finalising needs none). */
export function missingRequired(q: KeyAgeQuestionnaire, answers: Answers): string[] {
  const enabled = enabledQuestions(q, answers);
  return [...q.questions.values()].filter((d) => d.required && enabled.has(d.linkId) && answers[d.linkId] === undefined).map((d) => d.linkId);
}

/** An answer in words: the option's label (labels joined for a checkbox), or the text. */
export function answerText(d: QuestionDef, value: AnswerValue): string {
  if (d.kind === 'text') return Array.isArray(value) ? value.join(', ') : value;
  const label = (code: string) => d.options.find((o) => o.code === code)?.label ?? code;
  return Array.isArray(value) ? value.map(label).join(', ') : label(value);
}

/**
 * What the answers say of each habit topic ("habitudes de vie", issue 8), one entry per topic in the order of
 * the questionnaire: the first mapped question's answer in words, then each further question of the topic as
 * "question answer" ("Oui, tous les jours — Combien de cigarettes par jour ? De 10 à 20"). Enabled questions only.
 */
export function habitAnswers(q: KeyAgeQuestionnaire, answers: Answers): { topic: HabitTopic; answer: string }[] {
  const enabled = enabledQuestions(q, answers);
  const parts = new Map<HabitTopic, string[]>();
  for (const d of q.questions.values()) {
    const value = answers[d.linkId];
    if (!d.habitTopic || value === undefined || !enabled.has(d.linkId)) continue;
    const list = parts.get(d.habitTopic) ?? parts.set(d.habitTopic, []).get(d.habitTopic)!;
    list.push(list.length === 0 ? answerText(d, value) : `${d.text} ${answerText(d, value)}`);
  }
  return [...parts].map(([topic, p]) => ({ topic, answer: p.join(' — ').slice(0, TEXT_MAX_LENGTH) }));
}
