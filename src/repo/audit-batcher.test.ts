import { describe, expect, it } from 'vitest';
import { emptyIndex } from '../fhir/search/extract.js';
import { AuditBatcher } from './audit-batcher.js';
import type { NewVersion } from './store.js';

function version(id: string): NewVersion {
  return { patientId: 'p1', resourceType: 'AuditEvent', id, versionId: 1, lastUpdated: '2026-01-01T00:00:00.000Z', content: '{}', index: emptyIndex() };
}

/** A database that records each statement and answers when told to. */
function fakeDb() {
  const statements: unknown[][] = [];
  const pending: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  return {
    statements,
    pending,
    q: {
      query: (_text: string, params?: readonly unknown[]) =>
        new Promise<any>((resolve, reject) => {
          statements.push([...(params ?? [])]);
          pending.push({ resolve: () => resolve({ rows: [] }), reject });
        }),
    },
  };
}

const ids = (params: unknown[]) => params.filter((p) => typeof p === 'string' && p.startsWith('ae-'));
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('AuditBatcher', () => {
  it('writes a lone record at once, in one statement', async () => {
    const db = fakeDb();
    const done = new AuditBatcher(db.q).write([version('ae-1')]);
    await tick();
    expect(db.statements).toHaveLength(1);
    db.pending[0]!.resolve();
    await done;
  });

  it('groups the records that arrive while a write is under way into the next statement', async () => {
    const db = fakeDb();
    const batcher = new AuditBatcher(db.q);
    const first = batcher.write([version('ae-1')]);
    await tick();
    const later = [batcher.write([version('ae-2')]), batcher.write([version('ae-3'), version('ae-4')])];
    await tick();
    expect(db.statements).toHaveLength(1); // the second write waits for the first
    db.pending[0]!.resolve();
    await first;
    await tick();
    expect(db.statements).toHaveLength(2);
    expect(ids(db.statements[1]!)).toEqual(['ae-2', 'ae-3', 'ae-4']);
    db.pending[1]!.resolve();
    await Promise.all(later);
  });

  it('fails every request of a failed statement, and goes on with the next', async () => {
    const db = fakeDb();
    const batcher = new AuditBatcher(db.q);
    const first = batcher.write([version('ae-1')]);
    await tick();
    db.pending[0]!.reject(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    const next = batcher.write([version('ae-2')]);
    await tick();
    db.pending[1]!.resolve();
    await expect(next).resolves.toBeUndefined();
  });

  it('writes nothing for no records', async () => {
    const db = fakeDb();
    await new AuditBatcher(db.q).write([]);
    expect(db.statements).toHaveLength(0);
  });
});
