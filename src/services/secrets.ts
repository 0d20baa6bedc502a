import { randomBytes } from 'node:crypto';
import type { Queryable } from '../db/index.js';

/**
 * Secrets that every node must share and that must survive restarts (the pepper of stored codes, the
 * OpenID Provider's cookie keys): generated once into the database.
 */
export async function serverSecret(q: Queryable, name: string): Promise<string> {
  await q.query('INSERT INTO server_secret (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    randomBytes(32).toString('base64url'),
  ]);
  const { rows } = await q.query<{ value: string }>('SELECT value FROM server_secret WHERE name = $1', [name]);
  return rows[0]!.value;
}
