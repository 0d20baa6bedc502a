import pg from 'pg';

/** Anything that runs a parameterised SQL statement: the pool or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** The one query interface over PGlite (embedded) and PostgreSQL (DATABASE_URL). */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; retried a few times on serialization failure or deadlock. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 4;

/** Wraps a pg.Pool (either a real server's or PGlite's adapter) as a Db. */
export function poolDb(pool: pg.Pool, kind: Db['kind'], onClose: () => Promise<void>): Db {
  return {
    kind,
    query: (text, params) => pool.query(text, params as unknown[]),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const result = await fn(client);
          await client.query('COMMIT');
          return result;
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const code = (err as { code?: string }).code;
          if (attempt < MAX_ATTEMPTS && code !== undefined && RETRYABLE.has(code)) {
            await new Promise((r) => setTimeout(r, 5 * 2 ** attempt * (0.5 + Math.random())));
            continue;
          }
          throw err;
        } finally {
          client.release();
        }
      }
    },
    async close() {
      await pool.end();
      await onClose();
    },
  };
}
