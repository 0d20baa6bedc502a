/**
 * PDF documents of the patients' accounts: proof of opposition, postal notices before a profile is created,
 * attestations of profile sharing. Pure functions from data to PDF bytes (A4, French, standard fonts).
 */
export { objectionProof, OBJECTION_PROOF_TITLE, type ObjectionProofInput } from './objection-proof.js';
export { noticeLetters, NOTICE_LETTERS_TITLE, type NoticeLetter, type NoticeLettersInput } from './notice-letters.js';
export {
  delegationAttestation,
  DELEGATION_ATTESTATION_TITLE,
  DELEGATION_EVENT_TITLES,
  type DelegationAttestationInput,
  type DelegationEvent,
  type DelegationKind,
} from './delegation-attestation.js';
export { PDF_CONTENT_TYPE, pdfToBase64 } from './pdf.js';
export { formatDateFr, formatDateTimeFr, formatShortDateFr, formatTimeFr, maskNir, toWinAnsi, wrapText } from './format.js';
