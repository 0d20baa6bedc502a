export * from './principal.js';
export * from './policy.js';
export * from './care.js';
export * from './documents.js';
export * from './token-predicate.js';
export * from './messages.js';
export * from './profile.js';
export * from './questionnaires.js';
