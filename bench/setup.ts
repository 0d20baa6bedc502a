import { randomUUID } from 'node:crypto';
import pg from 'pg';

/** What the benchmarks set up before they measure. */

/**
 * A fresh database on the server of `url` (named `carnet_bench_<label>_…`), to run a benchmark on its own data;
 * `drop` removes it, connections and all.
 */
export async function freshDatabase(url: string, label: string): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const name = `carnet_bench_${label}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    url: target.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
