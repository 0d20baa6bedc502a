export { searchDrugs } from './drugs.js';
export { searchVaccines, vaccineById, vaccinesByIds } from './vaccines.js';
export { loadShippedReferenceData } from './load.js';
