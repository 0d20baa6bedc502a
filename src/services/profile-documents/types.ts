/**
 * The shapes of the profile's documents in the application API: mirrors src/contract/profile.ts (summary and
 * advance directives), which is the contract; the server does not import the web app's sources.
 */

/** The sections a summary PDF may hold (getMedicalSynthesisPDF), in the order the PDF shows them. */
export const SUMMARY_SECTIONS = [
  'VACCINES',
  'ALLERGIES',
  'DISEASES',
  'TREATMENTS',
  'MEASURES',
  'HOSPITALIZATIONS',
  'FAMILY_HISTORY',
  'LIFESTYLES',
  'ENTOURAGE_CONTACT',
  'WISHES',
  'DISABILITIES',
  'BLOOD_GROUP',
] as const;
export type SummarySection = (typeof SUMMARY_SECTIONS)[number];

export const DIRECTIVE_MODELS = ['good-health', 'end-of-life'] as const;
export type DirectiveModel = (typeof DIRECTIVE_MODELS)[number];

export interface DirectiveAnswers {
  context: string;
  lifeSupport: string;
  sedation: string;
  treatmentsStarted?: string;
  treatmentsStopped?: string;
  treatmentsSpecific?: string;
  otherWishes?: string;
  place: string;
}

export interface AdvanceDirective {
  id: string;
  kind: 'form' | 'file';
  model?: DirectiveModel;
  answers?: DirectiveAnswers;
  documentId: string;
  date: string;
  status: 'current' | 'superseded';
}

export interface AdvanceDirectivesView {
  allowed: boolean;
  reason?: 'minor';
  current: AdvanceDirective | null;
  previous: AdvanceDirective[];
}
