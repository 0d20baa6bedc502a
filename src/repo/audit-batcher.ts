import type { Queryable } from '../db/index.js';
import * as store from './store.js';
import type { NewVersion } from './store.js';

/**
 * Group commit for the audit records of reads: each read waits until its records are written, but the
 * records of the reads that arrive while a write is under way go together in the next one (one multi-row
 * statement instead of one per request). No timer: a lone read is written at once.
 */
export class AuditBatcher {
  private queue: { versions: NewVersion[]; done: (err?: unknown) => void }[] = [];
  private writing = false;

  constructor(private readonly q: Queryable) {}

  write(versions: NewVersion[]): Promise<void> {
    if (versions.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.queue.push({ versions, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        await store.writeVersions(this.q, batch.flatMap((b) => b.versions));
        for (const b of batch) b.done();
      } catch (err) {
        for (const b of batch) b.done(err);
      }
    }
    this.writing = false;
  }
}
