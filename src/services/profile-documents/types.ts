/**
 * The shapes of the profile's documents in the application API: the contract's (src/contract/profile.ts,
 * summary and advance directives), re-exported, and the view of GET /api/profile/advance-directives, which the
 * contract describes in a comment.
 */
import type { AdvanceDirective } from '../../contract/profile.js';

/** SUMMARY_SECTIONS: the sections a summary PDF may hold (getMedicalSynthesisPDF), in the order the PDF shows them. */
export { DIRECTIVE_MODELS, SUMMARY_SECTIONS } from '../../contract/profile.js';
export type { AdvanceDirective, DirectiveAnswers, DirectiveModel, SummarySection } from '../../contract/profile.js';

export interface AdvanceDirectivesView {
  allowed: boolean;
  reason?: 'minor';
  current: AdvanceDirective | null;
  previous: AdvanceDirective[];
}
