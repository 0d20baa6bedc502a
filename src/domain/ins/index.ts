export * from './nir.js';
export * from './ins.js';
export * from './nnp.js';
export * from './matricule.js';
export * from './identifier.js';
export * from './traits.js';
export * from './calendar.js';
export * from './age.js';
