import type { AnswerValue, QuestionKind } from '../../../contract/prevention.js';
import { HABIT_TOPICS } from '../../../contract/profile.js';
import { CARNET_CS, CARNET_EXT } from '../../profile/systems.js';

/**
 * The key-age questionnaires ("Mon bilan prévention", domain.md §4.4; docs/prevention.md "Key-age
 * questionnaires"): the FHIR R4 Questionnaire resources of data/prevention/questionnaires, read into the model
 * below, and the QuestionnaireResponse a profile fills in. Pure.
 */

export type Json = Record<string, unknown>;
export type HabitTopic = (typeof HABIT_TOPICS)[number];

/** Canonical URL of a band's questionnaire: `urn:carnet:questionnaire:key-age-<min>-<max>`. */
export const QUESTIONNAIRE_URL_PREFIX = 'urn:carnet:questionnaire:key-age-';
/** The habit topic ("habitudes de vie", issue 8) an item's answer pre-fills: an item extension, valueCode. */
export const HABIT_TOPIC_EXT = `${CARNET_EXT}/habit-topic`;
/** The document a response was filed as (an extension of the QuestionnaireResponse, valueReference). */
export const FILED_DOCUMENT_EXT = `${CARNET_EXT}/filed-document`;
/** The code system of the answer options of the key-age questionnaires. */
export const ANSWER_SYSTEM = `${CARNET_CS}/key-age-answer`;
export const ITEM_CONTROL_EXT = 'http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl';
/** A text answer holds at most this many characters. */
export const TEXT_MAX_LENGTH = 2000;

export interface AgeBand {
  min: number;
  max: number;
}

export interface EnableCondition {
  /** The linkId of the question it depends on. */
  question: string;
  /** The code of that question's answer that enables this one. */
  answer: string;
}

export interface QuestionDef {
  linkId: string;
  text: string;
  kind: QuestionKind;
  required: boolean;
  /** radio and checkbox: the options, in order. */
  options: { code: string; label: string }[];
  /** Enabled when ANY of these holds (enableBehavior any, or a single condition); always enabled when empty. */
  enableWhen: EnableCondition[];
  habitTopic?: HabitTopic;
  /** The linkId of the group it belongs to. */
  group: string;
}

export interface GroupDef {
  linkId: string;
  title: string;
  questions: QuestionDef[];
}

export interface KeyAgeQuestionnaire {
  id: string;
  url: string;
  version: string;
  title: string;
  status: 'draft' | 'active' | 'retired';
  /** '18-25' */
  band: string;
  ageBand: AgeBand;
  groups: GroupDef[];
  /** Every question by linkId, in document order. */
  questions: Map<string, QuestionDef>;
}

export type Answers = Record<string, AnswerValue>;

/** '18-25' for a band. */
export function bandKey(band: AgeBand): string {
  return `${band.min}-${band.max}`;
}

/** The id of a version's Questionnaire resource: `key-age-18-25-2026.1`. */
export function questionnaireId(band: string, version: string): string {
  return `key-age-${band}-${version}`;
}

/** Compares two versions "2025.1" < "2026.1" < "2026.10", part by part as numbers. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
