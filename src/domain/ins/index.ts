export * from './nir.js';
export * from './ins.js';
