import pg from 'pg';

/** Anything that runs a parameterised SQL statement: the pool or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** A transaction's connection. */
export interface Tx extends Queryable {
  /**
   * Says that this transaction writes nothing that must outlive a crash of the database server (an audit
   * record of a read, say): it then commits without waiting for its WAL record to reach the disk
   * (`synchronous_commit = off`; PostgreSQL flushes it within wal_writer_delay). Atomicity is unchanged.
   */
  relaxCommit(): void;
}

/** The one query interface over PGlite (embedded) and PostgreSQL (DATABASE_URL). */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; retried a few times on serialization failure or deadlock. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
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
        let relaxed = false;
        const tx: Tx = {
          query: (text, params) => client.query(text, params as unknown[]),
          relaxCommit: () => void (relaxed = true),
        };
        try {
          await client.query('BEGIN');
          const result = await fn(tx);
          // PGlite keeps its own durability rules; on PostgreSQL one round trip sets and commits
          await client.query(relaxed && kind === 'postgres' ? 'SET LOCAL synchronous_commit TO off; COMMIT' : 'COMMIT');
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
