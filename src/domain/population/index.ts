export * from './csv.js';
export * from './row.js';
export * from './generate.js';
