import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../errors.js';
import { loadCalendars } from '../../../services/prevention/calendars.js';
import { addDays, addOffset, civilString, dayNumber } from '../dates.js';
import { computePrevention } from '../engine.js';
import { validationIssues } from '../../../fhir/validate.js';
import {
  answersOf,
  checkAnswers,
  compareVersions,
  enabledQuestions,
  habitAnswers,
  isOffered,
  missingRequired,
  parseCanonical,
  parseQuestionnaire,
  questionnaireView,
  responseFacts,
  responseResource,
  type Answers,
  type KeyAgeQuestionnaire,
} from './index.js';

const DIR = path.resolve(import.meta.dirname, '../../../../data/prevention/questionnaires');
const raw = (file: string) => JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')) as Record<string, unknown>;
const shipped = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));
const young = parseQuestionnaire(raw('key-age-18-25-2026.1.json'));
const youngOld = parseQuestionnaire(raw('key-age-18-25-2025.1.json'));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}
const fieldsOf = (err: AppError) => err.issues.flatMap((i) => i.expression ?? []);

describe('the shipped questionnaires', () => {
  it('are five valid FHIR R4 Questionnaires: the four bands, and the 18-25 in two versions', () => {
    const parsed = shipped.map((f) => parseQuestionnaire(raw(f)));
    expect(parsed.map((q) => `${q.band}@${q.version}:${q.status}`).sort()).toEqual(['18-25@2025.1:retired', '18-25@2026.1:active', '45-50@2026.1:active', '60-65@2026.1:active', '70-75@2026.1:active']);
    for (const f of shipped) {
      expect(validationIssues(raw(f)).filter((i) => i.severity === 'error'), f).toEqual([]);
      expect(`${parseQuestionnaire(raw(f)).id}.json`).toBe(f);
    }
    for (const q of parsed) {
      // the six habit topics are asked in every band, each by a required question
      const topics = new Set([...q.questions.values()].filter((d) => d.habitTopic && d.required && d.enableWhen.length === 0).map((d) => d.habitTopic));
      expect([...topics].sort()).toEqual(['ALCOHOL', 'FOOD', 'PHYSICAL_ACTIVITY', 'SCREEN', 'SLEEP', 'TOBACCO']);
      expect(q.title).toMatch(/^Mon bilan prévention \d+-\d+ ans/);
    }
  });

  it('differ from one version to the next: 2026.1 asks about HPV and offers "isolement", 2025.1 does not', () => {
    expect(young.questions.has('hpv-vaccine')).toBe(true);
    expect(youngOld.questions.has('hpv-vaccine')).toBe(false);
    expect(young.questions.get('difficulties')!.options.map((o) => o.code)).toContain('isolation');
    expect(youngOld.questions.get('difficulties')!.options.map((o) => o.code)).not.toContain('isolation');
    expect(compareVersions('2026.1', '2025.1')).toBeGreaterThan(0);
    expect(compareVersions('2026.10', '2026.9')).toBeGreaterThan(0);
    expect(compareVersions('2026.1', '2026.1')).toBe(0);
  });

  it('give the player its view: kinds, options, conditions and habit topics', () => {
    const view = questionnaireView(young);
    expect(view).toMatchObject({ url: 'urn:carnet:questionnaire:key-age-18-25', version: '2026.1', id: 'key-age-18-25-2026.1', ageBand: { min: 18, max: 25 } });
    const questions = view.groups.flatMap((g) => g.questions);
    expect(questions.find((q) => q.linkId === 'tobacco')).toMatchObject({ kind: 'radio', required: true, habitTopic: 'TOBACCO' });
    expect(questions.find((q) => q.linkId === 'tobacco-per-day')).toMatchObject({ enableWhen: [{ question: 'tobacco', answer: 'daily' }], habitTopic: 'TOBACCO' });
    expect(questions.find((q) => q.linkId === 'contraception-method')).toMatchObject({ kind: 'checkbox', required: false });
    const topics = questions.find((q) => q.linkId === 'topics')!;
    expect(topics.kind).toBe('text');
    expect(topics.options).toBeUndefined();
  });
});

describe('parseQuestionnaire refuses what Carnet does not handle, naming it', () => {
  const base = () => structuredClone(raw('key-age-18-25-2026.1.json')) as any;
  const cases: [string, (q: any) => void, RegExp][] = [
    ['a url that is not the band of useContext', (q) => (q.url = 'urn:carnet:questionnaire:key-age-18-30'), /url/],
    ['an id that is not key-age-<band>-<version>', (q) => (q.id = 'young'), /id young/],
    ['a version that is not numbers', (q) => (q.version = 'v2'), /version v2/],
    ['no age range', (q) => (q.useContext = []), /age range/],
    ['a question outside a group', (q) => q.item.push({ linkId: 'x', text: 'X ?', type: 'text' }), /top-level items are groups/],
    ['an unhandled type', (q) => (q.item[0].item[0].type = 'integer'), /type integer/],
    ['an enableWhen on a later question', (q) => (q.item[0].item[7].enableWhen[0].question = 'topics'), /not an earlier question/],
    ['an enableWhen answer that is no option', (q) => (q.item[0].item[7].enableWhen[0].answerCoding.code = 'sometimes'), /not an option of tobacco/],
    ['another operator', (q) => (q.item[0].item[7].enableWhen[0].operator = '!='), /operator !=/],
    ['several conditions without enableBehavior any', (q) => delete q.item[0].item[5].enableBehavior, /enableBehavior any/],
    ['an unknown habit topic', (q) => (q.item[0].item[0].extension[1].valueCode = 'COFFEE'), /habit topic COFFEE/],
    ['a linkId used twice', (q) => (q.item[1].item[0].linkId = 'food'), /used twice/],
    ['a radio with one option', (q) => (q.item[0].item[0].answerOption = q.item[0].item[0].answerOption.slice(0, 1)), /at least two options/],
  ];
  it.each(cases)('%s', (_name, change, message) => {
    const q = base();
    change(q);
    expect(() => parseQuestionnaire(q)).toThrow(message);
  });
});

describe('checkAnswers', () => {
  it('keeps valid answers, checkbox codes in the options order, texts trimmed, empty answers as none', () => {
    const { answers, dropped } = checkAnswers(young, { food: 'balanced', 'contraception': 'yes', 'contraception-method': ['condom', 'pill'], topics: '  le sommeil  ', sleep: '', stress: null, difficulties: [] });
    expect(answers).toEqual({ food: 'balanced', contraception: 'yes', 'contraception-method': ['pill', 'condom'], topics: 'le sommeil' });
    expect(dropped).toEqual([]);
  });

  it('refuses every linkId that is not a question of that version, groups included', () => {
    const err = refusal(() => checkAnswers(young, { food: 'balanced', nope: 'x', habits: 'y' }));
    expect([err.status, err.code, fieldsOf(err)]).toEqual([422, 'questionnaire.unknown-question', ['nope', 'habits']]);
    // a question of 2026.1 is unknown to 2025.1
    const old = refusal(() => checkAnswers(youngOld, { 'hpv-vaccine': 'yes' }));
    expect([old.code, fieldsOf(old)]).toEqual(['questionnaire.unknown-question', ['hpv-vaccine']]);
  });

  it('refuses values the kind does not accept, naming each question (in the order of the questionnaire)', () => {
    const err = refusal(() =>
      checkAnswers(young, { food: 'pizza', sleep: ['well'], 'contraception-method': ['pill', 'spell'], difficulties: ['money', 'money'], topics: 42, alcohol: 'never' }),
    );
    expect([err.status, err.code, fieldsOf(err)]).toEqual([422, 'questionnaire.invalid-answer', ['food', 'sleep', 'contraception-method', 'difficulties', 'topics']]);
    expect(refusal(() => checkAnswers(youngOld, { difficulties: ['isolation'] })).code).toBe('questionnaire.invalid-answer');
  });

  it('refuses a text over 2,000 characters, and accepts 2,000', () => {
    const err = refusal(() => checkAnswers(young, { topics: 'a'.repeat(2001) }));
    expect([err.status, err.code, fieldsOf(err)]).toEqual([422, 'questionnaire.answer-too-long', ['topics']]);
    expect(checkAnswers(young, { topics: 'a'.repeat(2000) }).answers.topics).toHaveLength(2000);
  });

  it('refuses answers that are not an object', () => {
    for (const bad of ['x', [1], 3]) {
      const err = refusal(() => checkAnswers(young, bad));
      expect([err.status, err.code, fieldsOf(err)]).toEqual([400, 'request.invalid', ['answers']]);
    }
  });

  it('drops the answers of questions their enableWhen leaves disabled', () => {
    expect(checkAnswers(young, { tobacco: 'daily', 'tobacco-per-day': '10-20' })).toEqual({ answers: { tobacco: 'daily', 'tobacco-per-day': '10-20' }, dropped: [] });
    expect(checkAnswers(young, { tobacco: 'never', 'tobacco-per-day': '10-20' })).toEqual({ answers: { tobacco: 'never' }, dropped: ['tobacco-per-day'] });
    expect(checkAnswers(young, { 'tobacco-per-day': '10-20' }).dropped).toEqual(['tobacco-per-day']);
    // any of several conditions
    expect(enabledQuestions(young, { alcohol: 'weekly' }).has('alcohol-binge')).toBe(true);
    expect(enabledQuestions(young, { alcohol: 'daily' }).has('alcohol-binge')).toBe(true);
    expect(enabledQuestions(young, { alcohol: 'never' }).has('alcohol-binge')).toBe(false);
  });

  it('a disabled question enables nothing, even with an answer', () => {
    const chain = structuredClone(raw('key-age-18-25-2026.1.json')) as any;
    const quit = chain.item[0].item.find((i: any) => i.linkId === 'tobacco-quit');
    quit.enableWhen = [{ question: 'tobacco-per-day', operator: '=', answerCoding: { code: 'gt-20' } }];
    delete quit.enableBehavior;
    const q = parseQuestionnaire(chain);
    expect(enabledQuestions(q, { tobacco: 'daily', 'tobacco-per-day': 'gt-20' }).has('tobacco-quit')).toBe(true);
    expect(enabledQuestions(q, { tobacco: 'never', 'tobacco-per-day': 'gt-20' }).has('tobacco-quit')).toBe(false);
    expect(checkAnswers(q, { tobacco: 'never', 'tobacco-per-day': 'gt-20', 'tobacco-quit': 'yes' }).dropped).toEqual(['tobacco-per-day', 'tobacco-quit']);
  });
});

describe('missingRequired', () => {
  it('names the enabled required questions left unanswered', () => {
    expect(missingRequired(young, {})).toEqual(['food', 'physical-activity', 'sleep', 'screens', 'alcohol', 'tobacco', 'mood']);
    const all: Answers = { food: 'balanced', 'physical-activity': 'gt-2h30', sleep: 'well', screens: 'lt-2h', alcohol: 'never', tobacco: 'daily', mood: 'never' };
    expect(missingRequired(young, all)).toEqual(['tobacco-per-day']);
    expect(missingRequired(young, { ...all, 'tobacco-per-day': 'lt-10' })).toEqual([]);
    expect(missingRequired(young, { ...all, tobacco: 'never' })).toEqual([]);
  });
});

describe('habitAnswers', () => {
  it('gives one entry per topic, in words, with the follow-up questions of the topic', () => {
    const answers = checkAnswers(young, { food: 'balanced', tobacco: 'daily', 'tobacco-per-day': '10-20', 'tobacco-quit': 'yes', alcohol: 'never', mood: 'never', topics: 'rien' }).answers;
    expect(habitAnswers(young, answers)).toEqual([
      { topic: 'FOOD', answer: 'Équilibrée et variée (fruits, légumes, féculents, repas à heures régulières)' },
      { topic: 'ALCOHOL', answer: 'Jamais' },
      { topic: 'TOBACCO', answer: 'Oui, tous les jours — Combien de cigarettes par jour ? De 10 à 20' },
    ]);
  });
});

describe('the QuestionnaireResponse', () => {
  it('nests the answers as the questionnaire, names its version, and reads back', () => {
    const answers = checkAnswers(young, { food: 'irregular', contraception: 'yes', 'contraception-method': ['pill', 'condom'], topics: 'Le sommeil' }).answers;
    const r = responseResource({ questionnaire: young, patientId: 'p1', status: 'in-progress', answers, authored: '2026-11-23T08:00:00.000Z', author: { self: false, name: 'Camille Martin' }, documentId: 'd1' });
    expect(validationIssues(r).filter((i) => i.severity === 'error')).toEqual([]);
    expect(r).toMatchObject({
      questionnaire: 'urn:carnet:questionnaire:key-age-18-25|2026.1',
      status: 'in-progress',
      subject: { reference: 'Patient/p1' },
      author: { display: 'Camille Martin' },
      extension: [{ valueReference: { reference: 'DocumentReference/d1' } }],
    });
    const groups = (r.item as any[]).map((g) => [g.linkId, g.item.map((i: any) => i.linkId)]);
    expect(groups).toEqual([
      ['habits', ['food']],
      ['sexual-health', ['contraception', 'contraception-method']],
      ['daily-life', ['topics']],
    ]);
    expect((r.item as any[])[1].item[1].answer.map((a: any) => a.valueCoding.display)).toEqual(['Pilule', 'Préservatif']);
    expect(answersOf(young, r)).toEqual(answers);
    expect(responseFacts(r)).toEqual({ url: young.url, version: '2026.1', status: 'in-progress', authored: '2026-11-23T08:00:00.000Z', documentId: 'd1', patientId: 'p1' });
    expect(parseCanonical('urn:x|')).toBeUndefined();
    expect(parseCanonical('urn:x')).toBeUndefined();
  });

  // any answers a person may give: each question absent, or one of its values (some invalid for the property below)
  const answersArb = (q: KeyAgeQuestionnaire) =>
    fc.record(
      Object.fromEntries(
        [...q.questions.values()].map((d) => [
          d.linkId,
          d.kind === 'radio'
            ? fc.constantFrom(...d.options.map((o) => o.code))
            : d.kind === 'checkbox'
              ? fc.subarray(d.options.map((o) => o.code))
              : fc.string({ maxLength: 40 }),
        ]),
      ),
      { requiredKeys: [] },
    ) as fc.Arbitrary<Record<string, unknown>>;

  it('property: checked answers are enabled, stable when checked again, and survive the round trip through FHIR', () => {
    for (const q of [young, youngOld]) {
      fc.assert(
        fc.property(answersArb(q), (input) => {
          const { answers, dropped } = checkAnswers(q, input);
          const enabled = enabledQuestions(q, answers);
          for (const k of Object.keys(answers)) expect(enabled.has(k)).toBe(true);
          for (const k of dropped) expect(answers[k]).toBeUndefined();
          expect(checkAnswers(q, answers)).toEqual({ answers, dropped: [] });
          const r = responseResource({ questionnaire: q, patientId: 'p', status: 'completed', answers, authored: '2026-11-23T08:00:00.000Z', author: { self: true, name: 'X' } });
          expect(answersOf(q, r)).toEqual(answers);
          // finalising needs exactly the enabled required questions
          for (const m of missingRequired(q, answers)) expect([enabled.has(m), answers[m]]).toEqual([true, undefined]);
        }),
        { numRuns: 200 },
      );
    }
  });
});

describe('isOffered', () => {
  const band = { min: 18, max: 25 };
  it('from the birthday a year before the band until the day before the birthday after it', () => {
    expect(isOffered(band, '2009-11-24', '2026-11-23')).toBe(false); // 16
    expect(isOffered(band, '2009-11-23', '2026-11-23')).toBe(true); // 17 today
    expect(isOffered(band, '2000-11-24', '2026-11-23')).toBe(true); // 25, 26 tomorrow
    expect(isOffered(band, '2000-11-23', '2026-11-23')).toBe(false); // 26 today
    expect(isOffered(band, 'not-a-date', '2026-11-23')).toBe(false);
  });

  it('property: offered exactly while the completed age is in [min − 1, max]', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1930-01-01'), max: new Date('2026-11-23'), noInvalidDate: true }), fc.constantFrom({ min: 18, max: 25 }, { min: 45, max: 50 }, { min: 60, max: 65 }, { min: 70, max: 75 }), (birth, b) => {
          const birthDate = birth.toISOString().slice(0, 10);
          const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
          const today = [2026, 11, 23];
          const age = today[0]! - y - (today[1]! < m || (today[1] === m && today[2]! < d) ? 1 : 0);
          expect(isOffered(b, birthDate, '2026-11-23')).toBe(age >= b.min - 1 && age <= b.max);
        }),
      { numRuns: 300 },
    );
  });

  it('a 29 February birth counts as the engine does (29 February + 1 year = 28 February): the offer ends with the key-age window', () => {
    const birth = '2008-02-29';
    // 17 on 28 February 2025, not 1 March: offered from that day
    expect(isOffered(band, birth, '2025-02-27')).toBe(false);
    expect(isOffered(band, birth, '2025-02-28')).toBe(true);
    // 26 on 28 February 2034: the last day offered is the last day of the 18-25 check-up's window
    const checkup = computePrevention({ birthDate: birth, sex: 'F', vaccinations: [], marks: [] }, loadCalendars(), '2033-06-01').find((i) => i.code === 'checkup:18-25');
    expect(checkup?.window).toEqual({ start: '2026-02-28', end: '2034-02-27' });
    expect(isOffered(band, birth, '2034-02-27')).toBe(true);
    expect(isOffered(band, birth, '2034-02-28')).toBe(false);
  });

  it('property: offered from birth + (min − 1) years to the day before birth + (max + 1) years, with the engine\'s arithmetic', () => {
    const birthArb = fc.oneof(
      fc.integer({ min: dayNumber('1930-01-01'), max: dayNumber('2026-12-31') }).map(civilString),
      fc.integer({ min: 1930, max: 2024 }).map((y) => `${y - (y % 4)}-02-29`),
    );
    fc.assert(
      fc.property(birthArb, fc.constantFrom({ min: 18, max: 25 }, { min: 45, max: 50 }, { min: 60, max: 65 }, { min: 70, max: 75 }), (birth, b) => {
        const opens = addOffset(birth, { years: b.min - 1 });
        const closes = addOffset(birth, { years: b.max + 1 });
        expect([isOffered(b, birth, addDays(opens, -1)), isOffered(b, birth, opens)]).toEqual([false, true]);
        expect([isOffered(b, birth, addDays(closes, -1)), isOffered(b, birth, closes)]).toEqual([true, false]);
      }),
      { numRuns: 300 },
    );
  });
});
