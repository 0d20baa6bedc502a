export * from './codes.js';
export * from './columns.js';
export * from './lines.js';
export * from './records.js';
export * from './generate.js';
export { hasValidLuhn, luhnCheckDigit, makeFiness, makeRpps } from './luhn.js';
