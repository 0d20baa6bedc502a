export * from './types.js';
export * from './validate.js';
export * from './fhir.js';
export * from './reminders.js';
export * from './ical.js';
export * from './feed.js';
