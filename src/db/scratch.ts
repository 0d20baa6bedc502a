import { randomUUID } from 'node:crypto';
import pg from 'pg';

/**
 * A new, empty database on the PostgreSQL server of `url`, named `<prefix>_<16 hex>`, for a test or a benchmark
 * to run on data of its own; `drop` removes it, connections and all.
 */
export async function createScratchDatabase(url: string, prefix: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  if (!/^[a-z_][a-z0-9_]*$/.test(prefix)) throw new Error(`a database name prefix is lower-case letters, digits and _, got ${prefix}`);
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  const onServer = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await onServer(`CREATE DATABASE ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  return { url: target.toString(), name, drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
