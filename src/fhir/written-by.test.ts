import { describe, expect, it } from 'vitest';
import { SYSTEM, type Principal } from '../domain/access/principal.js';
import { stampWriter, WRITTEN_BY_SYSTEM, writtenBy } from './written-by.js';

const patient: Principal = { userId: 'u', login: 'p', role: 'patient', displayName: 'P', represents: [{ patientId: 'p1', relation: 'self' }] };
const app: Principal = { ...patient, scopes: ['patient/*.read'] };
const pro: Principal = { userId: 'v', login: 'd', role: 'professional', displayName: 'D', practitionerId: '81', represents: [] };
const forged = { resourceType: 'Immunization', meta: { tag: [{ system: WRITTEN_BY_SYSTEM, code: 'professional' }, { system: 'x', code: 'kept' }] } };

describe('the written-by tag', () => {
  it('replaces whatever the client says with who wrote it, and keeps the other tags', () => {
    expect(writtenBy(stampWriter(forged, patient))).toBe('patient');
    expect(writtenBy(stampWriter(forged, app))).toBe('app');
    expect(writtenBy(stampWriter(forged, pro))).toBe('professional');
    expect((stampWriter(forged, patient).meta as { tag: unknown[] }).tag).toContainEqual({ system: 'x', code: 'kept' });
  });

  it('leaves Carnet’s own writes and the types the profile does not show as they are', () => {
    expect(stampWriter(forged, SYSTEM)).toBe(forged);
    const doc = { resourceType: 'DocumentReference' };
    expect(stampWriter(doc, patient)).toBe(doc);
  });
});
