export * from './principal.js';
export * from './policy.js';
export * from './care.js';
