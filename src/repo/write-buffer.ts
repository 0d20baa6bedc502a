import type { Queryable } from '../db/index.js';
import * as store from './store.js';
import type { NewVersion, StoredVersion } from './store.js';

/**
 * The writes of one unit of work, held back and sent as one multi-row statement per table: before anything
 * reads what they could change, and at the end of the unit. A transaction Bundle of a hundred creates costs
 * one write instead of a hundred. Reading one resource by id sees the pending version of that resource
 * without flushing the others; every other query flushes first.
 */
export class WriteBuffer implements Queryable {
  private pending: NewVersion[] = [];
  private readonly keys = new Map<string, NewVersion>();

  constructor(
    private readonly tx: Queryable,
    /** A unit that must not write (it runs without a transaction). */
    private readonly readOnly = false,
  ) {}

  async query<R extends Record<string, unknown>>(text: string, params?: readonly unknown[]) {
    await this.flush();
    return this.tx.query<R>(text, params);
  }

  /** Statements that read nothing the pending writes change (advisory locks). */
  unbuffered(): Queryable {
    return this.tx;
  }

  async write(v: NewVersion): Promise<void> {
    if (this.readOnly) throw new Error(`A read-only unit of work tried to write ${v.resourceType}/${v.id}`);
    // a second version of the same resource: the first must reach the table before it
    if (this.keys.has(key(v.resourceType, v.id))) await this.flush();
    this.pending.push(v);
    this.keys.set(key(v.resourceType, v.id), v);
  }

  /** The current version of a resource, pending or stored. */
  async findCurrent(type: string, id: string): Promise<StoredVersion | undefined> {
    const v = this.keys.get(key(type, id));
    if (v) return { patientId: v.patientId, resourceType: v.resourceType, id: v.id, versionId: v.versionId, lastUpdated: v.lastUpdated, deleted: v.content === null, content: v.content };
    return store.findCurrent(this.tx, type, id);
  }

  /** Takes the pending writes out, to be written by the caller. */
  drain(): NewVersion[] {
    const batch = this.pending;
    this.pending = [];
    this.keys.clear();
    return batch;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.keys.clear();
    await store.writeVersions(this.tx, batch);
  }
}

const key = (type: string, id: string) => `${type}/${id}`;
