export type { Db, Queryable } from './db.js';
export { openDb } from './open.js';
export { migrate, listMigrations } from './migrate.js';
