import { createHash } from 'node:crypto';
import pg from 'pg';

/** Anything that runs a parameterised SQL statement: the pool or a transaction's client. */
export interface Queryable {
  query<R extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    params?: readonly unknown[],
  ): Promise<pg.QueryResult<R>>;
}

/** One statement and its parameters. */
export interface Statement {
  text: string;
  params: unknown[];
}

/** A transaction's connection. BEGIN is sent with the first statement, not before. */
export interface Tx extends Queryable {
  /**
   * Says that this transaction writes nothing that must outlive a crash of the database server (an audit
   * record of a read, say): it then commits without waiting for its WAL record to reach the disk
   * (`synchronous_commit = off`; PostgreSQL flushes it within wal_writer_delay). Atomicity is unchanged.
   */
  relaxCommit(): void;
  /**
   * Runs the last statements of the unit. When the unit has sent nothing before and this is a single
   * statement, it runs on its own, without BEGIN and COMMIT: one statement is atomic by itself.
   */
  finish(statements: Statement[]): Promise<void>;
}

/** The one query interface over PGlite (embedded) and PostgreSQL (DATABASE_URL). */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs fn in one transaction; retried a few times on serialization failure or deadlock. */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * Runs fn without a transaction: each statement commits on its own. For units of work that read, and
   * write nothing but their audit records in one last statement. With `relaxed`, those commits do not wait
   * for the disk (synchronous_commit = off).
   */
  autocommit<T>(fn: (q: Queryable) => Promise<T>, opts?: { relaxed?: boolean }): Promise<T>;
  close(): Promise<void>;
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Named (prepared) statements on PostgreSQL: a statement seen again is parsed and planned once per
 * connection instead of at every execution (planning a search costs more than running it). Only statements
 * with parameters (one statement each), once seen twice, and at most MAX_PREPARED distinct texts: the
 * shapes of searches are many, and each connection keeps what it prepared.
 */
const MAX_PREPARED = 500;
const seen = new Map<string, number>();

export function statement(text: string, params: readonly unknown[] | undefined): pg.QueryConfig {
  if (!params || params.length === 0) return { text };
  const name = createHash('sha1').update(text).digest('base64url').slice(0, 20);
  const count = seen.get(name);
  if (count === undefined) {
    if (seen.size < MAX_PREPARED * 4) seen.set(name, 1);
    return { text, values: params as unknown[] };
  }
  if (count === 1) {
    const prepared = [...seen.values()].filter((c) => c > 1).length;
    if (prepared >= MAX_PREPARED) return { text, values: params as unknown[] };
    seen.set(name, 2);
  }
  return { name, text, values: params as unknown[] };
}
const MAX_ATTEMPTS = 4;

/**
 * Wraps a pg.Pool (either a real server's or PGlite's adapter) as a Db. `relaxedPool`, when given, is a pool
 * whose connections commit without waiting for the WAL flush (used by autocommit({ relaxed: true })).
 */
export function poolDb(pool: pg.Pool, kind: Db['kind'], onClose: () => Promise<void>, relaxedPool?: pg.Pool): Db {
  // PGlite plans in-process and its adapter is simpler: statements stay unnamed there
  const run = <R extends pg.QueryResultRow>(q: pg.Pool | pg.PoolClient, text: string, params?: readonly unknown[]) =>
    kind === 'postgres' ? q.query<R>(statement(text, params)) : q.query<R>(text, params as unknown[]);
  return {
    kind,
    query: (text, params) => run(pool, text, params),
    async transaction(fn) {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let relaxed = false;
        let begun = false;
        const query = async (text: string, params?: readonly unknown[]) => {
          if (!begun) {
            await client.query('BEGIN');
            begun = true;
          }
          return run(client, text, params);
        };
        const tx: Tx = {
          query: query as Tx['query'],
          relaxCommit: () => void (relaxed = true),
          async finish(statements) {
            if (!begun && statements.length === 1) {
              await run(client, statements[0]!.text, statements[0]!.params);
              return;
            }
            for (const st of statements) await query(st.text, st.params);
          },
        };
        try {
          const result = await fn(tx);
          // PGlite keeps its own durability rules; on PostgreSQL one round trip sets and commits
          if (begun) await client.query(relaxed && kind === 'postgres' ? 'SET LOCAL synchronous_commit TO off; COMMIT' : 'COMMIT');
          return result;
        } catch (err) {
          if (begun) await client.query('ROLLBACK').catch(() => undefined);
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
    autocommit(fn, opts = {}) {
      const target = opts.relaxed && relaxedPool ? relaxedPool : pool;
      return fn({ query: (text, params) => run(target, text, params) });
    },
    async close() {
      await pool.end();
      await relaxedPool?.end();
      await onClose();
    },
  };
}
