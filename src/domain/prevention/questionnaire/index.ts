export * from './model.js';
export { parseQuestionnaire, questionnaireView } from './parse.js';
export { answerText, checkAnswers, enabledQuestions, habitAnswers, missingRequired, type CheckedAnswers } from './answers.js';
export { answersOf, canonicalOf, parseCanonical, responseFacts, responseResource, STATUS_OF, type FhirResponseStatus, type ResponseFacts, type ResponseInput } from './response.js';
export { isOffered } from './bands.js';
