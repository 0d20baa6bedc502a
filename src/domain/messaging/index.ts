export * from './addresses.js';
export * from './rules.js';
export * from './limits.js';
export * from './headers.js';
export * from './xdm.js';
export * from './mime.js';
