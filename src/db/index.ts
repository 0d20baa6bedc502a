export type { Db, Queryable, Statement, Tx } from './db.js';
export { openDb } from './open.js';
export { migrate, listMigrations } from './migrate.js';
