export * from './principal.js';
export * from './policy.js';
