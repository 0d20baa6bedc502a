export * from './fold.js';
export * from './login.js';
export * from './password.js';
export * from './password-words.js';
export * from './codes.js';
export * from './lifecycle.js';
export * from './deadlines.js';
export * from './delegation.js';
