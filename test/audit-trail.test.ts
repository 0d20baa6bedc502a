import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeContext } from '../src/repo/index.js';
import { SYSTEM, type Principal } from '../src/domain/access/index.js';
import { startCarnet, type TestCarnet } from './support/carnet.js';
import { insuredPatient } from './support/care.js';

/**
 * The repository's trail: a refusal a service catches inside a unit of work that then succeeds is written as
 * a refusal in the record it was about, never as a successful read (the patient would see a stranger "read"
 * their record).
 */
let tc: TestCarnet;

beforeAll(async () => {
  tc = await startCarnet();
});
afterAll(async () => tc?.close());

describe('the audit trail of a unit of work', () => {
  it('writes a caught refusal as refused, next to the unit’s own successful reads', async () => {
    const a = await insuredPatient(tc);
    const b = await insuredPatient(tc);
    const obs = await tc.carnet.repo.create(makeContext(SYSTEM), {
      resourceType: 'Observation',
      status: 'final',
      code: { text: 'poids' },
      subject: { reference: `Patient/${a.patientId}` },
    });
    const asB: Principal = { userId: 'u-b', login: 'b', role: 'patient', displayName: 'B', patientId: b.patientId, represents: [{ patientId: b.patientId, relation: 'self' }] };
    const caught = await tc.carnet.repo.run(makeContext(asB), async (ops) => {
      await ops.read('Patient', b.patientId);
      try {
        await ops.read('Observation', obs.version.id);
        return false;
      } catch {
        return true;
      }
    });
    expect(caught).toBe(true);
    const { rows } = await tc.db.query<{ patient_id: string; content: { outcome: string; entity?: { what?: { reference?: string } }[] } }>(
      `SELECT patient_id, content FROM resource WHERE resource_type = 'AuditEvent' AND patient_id = ANY($1)`,
      [[a.patientId, b.patientId]],
    );
    const inA = rows.filter((r) => r.patient_id === a.patientId && JSON.stringify(r.content).includes(`Observation/${obs.version.id}`) && JSON.stringify((r.content as { agent?: unknown }).agent).includes('"B"'));
    expect(inA.length).toBeGreaterThan(0);
    expect(inA.every((r) => r.content.outcome === '4')).toBe(true);
    const inB = rows.filter((r) => r.patient_id === b.patientId && JSON.stringify(r.content).includes(`Patient/${b.patientId}`));
    expect(inB.some((r) => r.content.outcome === '0')).toBe(true);
  });
});
