import type { QuestionnaireView, QuestionView } from '../../../contract/prevention.js';
import { HABIT_TOPICS } from '../../../contract/profile.js';
import {
  bandKey,
  HABIT_TOPIC_EXT,
  ITEM_CONTROL_EXT,
  QUESTIONNAIRE_URL_PREFIX,
  questionnaireId,
  type EnableCondition,
  type GroupDef,
  type HabitTopic,
  type Json,
  type KeyAgeQuestionnaire,
  type QuestionDef,
} from './model.js';

/**
 * Reads a key-age Questionnaire resource (data/prevention/questionnaires) into the model the player and the
 * checks use, refusing what Carnet does not handle rather than guessing: top-level items are groups of
 * questions (no deeper nesting); a question is a `choice` (radio, or checkbox with `repeats`) with coded
 * `answerOption`s, or a `text`/`string`; `enableWhen` uses the operator '=' on a coded answer of an earlier
 * question, several conditions only with `enableBehavior: any`. Throws an Error naming what is wrong. Pure.
 */

class Bad extends Error {}
const fail = (msg: string): never => {
  throw new Bad(msg);
};

const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, what: string): string => (typeof v === 'string' && v.trim() !== '' ? v : fail(`${what} is missing`));
const list = (v: unknown): Json[] => (Array.isArray(v) ? (v as unknown[]).filter(isObj) : []);

function extension(item: Json, url: string): Json | undefined {
  return list(item.extension).find((e) => e.url === url);
}

function itemControl(item: Json): string | undefined {
  const cc = extension(item, ITEM_CONTROL_EXT)?.valueCodeableConcept;
  return isObj(cc) ? (list(cc.coding)[0]?.code as string | undefined) : undefined;
}

function parseQuestion(item: Json, group: string, seen: Map<string, QuestionDef>): QuestionDef {
  const linkId = str(item.linkId, 'an item linkId');
  const where = `item ${linkId}`;
  if (seen.has(linkId)) fail(`${where}: the linkId is used twice`);
  const text = str(item.text, `${where}: text`);
  const required = item.required === true;
  let kind: QuestionDef['kind'];
  let options: QuestionDef['options'] = [];
  if (item.type === 'choice') {
    kind = item.repeats === true ? 'checkbox' : 'radio';
    const control = itemControl(item);
    if (control !== undefined && control !== (kind === 'checkbox' ? 'check-box' : 'radio-button')) fail(`${where}: itemControl ${control} does not match repeats`);
    options = list(item.answerOption).map((o) => {
      const c = isObj(o.valueCoding) ? o.valueCoding : fail(`${where}: an answerOption is not a valueCoding`);
      return { code: str(c.code, `${where}: an option code`), label: str(c.display, `${where}: an option display`) };
    });
    if (options.length < 2) fail(`${where}: a choice has at least two options`);
    if (new Set(options.map((o) => o.code)).size !== options.length) fail(`${where}: an option code is used twice`);
  } else if (item.type === 'text' || item.type === 'string') {
    kind = 'text';
  } else {
    return fail(`${where}: type ${String(item.type)} is not handled (choice, text, string)`);
  }
  const conditions = list(item.enableWhen);
  if (conditions.length > 1 && item.enableBehavior !== 'any') fail(`${where}: several enableWhen need enableBehavior any`);
  const enableWhen: EnableCondition[] = conditions.map((c) => {
    const question = str(c.question, `${where}: enableWhen.question`);
    const target = seen.get(question) ?? fail(`${where}: enableWhen names ${question}, which is not an earlier question`);
    if (c.operator !== '=') fail(`${where}: enableWhen operator ${String(c.operator)} is not handled (=)`);
    const coding = isObj(c.answerCoding) ? c.answerCoding : fail(`${where}: enableWhen needs an answerCoding`);
    const answer = str(coding.code, `${where}: enableWhen.answerCoding.code`);
    if (!target.options.some((o) => o.code === answer)) fail(`${where}: enableWhen answer ${answer} is not an option of ${question}`);
    return { question, answer };
  });
  const topic = extension(item, HABIT_TOPIC_EXT)?.valueCode;
  if (topic !== undefined && !(HABIT_TOPICS as readonly unknown[]).includes(topic)) fail(`${where}: habit topic ${String(topic)} is not one of ${HABIT_TOPICS.join(', ')}`);
  const q: QuestionDef = { linkId, text, kind, required, options, enableWhen, group, ...(topic !== undefined ? { habitTopic: topic as HabitTopic } : {}) };
  seen.set(linkId, q);
  return q;
}

function ageBandOf(resource: Json): { min: number; max: number } {
  for (const ctx of list(resource.useContext)) {
    const code = isObj(ctx.code) ? ctx.code.code : undefined;
    const range = isObj(ctx.valueRange) ? ctx.valueRange : undefined;
    if (code !== 'age' || !range) continue;
    const low = isObj(range.low) ? range.low.value : undefined;
    const high = isObj(range.high) ? range.high.value : undefined;
    if (Number.isInteger(low) && Number.isInteger(high) && (low as number) <= (high as number)) return { min: low as number, max: high as number };
  }
  return fail('useContext: an age range (low and high, in years) is missing');
}

export function parseQuestionnaire(resource: unknown): KeyAgeQuestionnaire {
  try {
    if (!isObj(resource) || resource.resourceType !== 'Questionnaire') fail('not a Questionnaire');
    const r = resource as Json;
    const url = str(r.url, 'url');
    const version = str(r.version, 'version');
    if (!/^\d+(\.\d+)*$/.test(version)) fail(`version ${version} is not numbers separated by dots (2026.1)`);
    const ageBand = ageBandOf(r);
    const band = bandKey(ageBand);
    if (url !== `${QUESTIONNAIRE_URL_PREFIX}${band}`) fail(`url ${url} is not ${QUESTIONNAIRE_URL_PREFIX}${band} (the band of useContext)`);
    const id = str(r.id, 'id');
    if (id !== questionnaireId(band, version)) fail(`id ${id} is not ${questionnaireId(band, version)}`);
    const status = r.status;
    if (status !== 'draft' && status !== 'active' && status !== 'retired') fail(`status ${String(status)} is not draft, active or retired`);
    const seen = new Map<string, QuestionDef>();
    const groupIds = new Set<string>();
    const groups: GroupDef[] = list(r.item).map((g) => {
      const linkId = str(g.linkId, 'a group linkId');
      if (g.type !== 'group') fail(`item ${linkId}: top-level items are groups`);
      if (groupIds.has(linkId)) fail(`item ${linkId}: the linkId is used twice`);
      groupIds.add(linkId);
      const questions = list(g.item).map((q) => parseQuestion(q, linkId, seen));
      if (questions.length === 0) fail(`group ${linkId} has no question`);
      return { linkId, title: str(g.text, `group ${linkId}: text`), questions };
    });
    if (groups.length === 0) fail('the questionnaire has no item');
    for (const g of groupIds) if (seen.has(g)) fail(`item ${g}: the linkId is used twice`);
    return { id, url, version, title: str(r.title, 'title'), status: status as KeyAgeQuestionnaire['status'], band, ageBand, groups, questions: seen };
  } catch (err) {
    if (err instanceof Bad) throw new Error(`Questionnaire: ${err.message}`);
    throw err;
  }
}

/** The player's view of a version (src/contract/prevention.ts QuestionnaireView). */
export function questionnaireView(q: KeyAgeQuestionnaire): QuestionnaireView {
  const question = (d: QuestionDef): QuestionView => ({
    linkId: d.linkId,
    text: d.text,
    kind: d.kind,
    required: d.required,
    ...(d.kind !== 'text' ? { options: d.options.map((o) => ({ ...o })) } : {}),
    ...(d.enableWhen.length ? { enableWhen: d.enableWhen.map((c) => ({ ...c })) } : {}),
    ...(d.habitTopic ? { habitTopic: d.habitTopic } : {}),
  });
  return {
    url: q.url,
    version: q.version,
    id: q.id,
    title: q.title,
    ageBand: { ...q.ageBand },
    groups: q.groups.map((g) => ({ linkId: g.linkId, title: g.title, questions: g.questions.map(question) })),
  };
}
