import { describe, expect, it } from 'vitest';
import { statement } from './db.js';

describe('statement (prepared statements on PostgreSQL)', () => {
  it('names a statement with parameters from its second use on, by its text', () => {
    const text = `SELECT $1::text AS a -- ${Math.random()}`;
    expect(statement(text, ['x']).name).toBeUndefined();
    const second = statement(text, ['y']);
    expect(second.name).toMatch(/^[\w-]{20}$/);
    expect(second.values).toEqual(['y']);
    expect(statement(text, ['z']).name).toBe(second.name);
    expect(statement(`${text} `, ['z']).name).toBeUndefined();
  });

  it('never names a statement without parameters (BEGIN, COMMIT, several statements at once)', () => {
    const text = 'SET LOCAL synchronous_commit TO off; COMMIT';
    for (let i = 0; i < 3; i++) expect(statement(text, undefined)).toEqual({ text });
  });

  it('prepares at most 500 distinct texts', () => {
    const named = new Set<string>();
    for (let i = 0; i < 700; i++) {
      const text = `SELECT $1::int + ${i} -- cap ${Math.random()}`;
      statement(text, [1]);
      const st = statement(text, [1]);
      if (st.name) named.add(st.name);
    }
    expect(named.size).toBeLessThanOrEqual(500);
    expect(named.size).toBeGreaterThan(100);
  });
});
