import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decide } from './policy.js';
import type { Principal } from './principal.js';
import { isShippedQuestionnaire } from './questionnaires.js';

const operator: Principal = { userId: 'u-op', login: 'op', role: 'operator', displayName: 'Op', represents: [] };
const system: Principal = { userId: '0', login: 'carnet', role: 'system', displayName: 'Carnet', represents: [] };
const URL_TOKEN = 'url=urn:carnet:questionnaire:key-age-18-25';

describe('the shipped key-age questionnaires', () => {
  it('are recognised by their id or their canonical URL, Questionnaires only', () => {
    expect(isShippedQuestionnaire('Questionnaire', 'key-age-18-25-2026.1', undefined)).toBe(true);
    expect(isShippedQuestionnaire('Questionnaire', 'other', new Set([URL_TOKEN]))).toBe(true);
    expect(isShippedQuestionnaire('Questionnaire', 'other', new Set(['url=https://example.org/q']))).toBe(false);
    expect(isShippedQuestionnaire('Questionnaire', undefined, undefined)).toBe(false);
    expect(isShippedQuestionnaire('QuestionnaireResponse', 'key-age-18-25-2026.1', new Set([URL_TOKEN]))).toBe(false);
  });

  it('are written by Carnet alone; read by anyone signed in; other Questionnaires stay the operators’', () => {
    for (const action of ['create', 'update', 'delete'] as const) {
      expect(decide(operator, { action, resourceType: 'Questionnaire', patientId: null, id: 'key-age-45-50-2026.1' }).allow).toBe(false);
      expect(decide(operator, { action, resourceType: 'Questionnaire', patientId: null, id: 'mine', tokens: new Set([URL_TOKEN]) }).allow).toBe(false);
      expect(decide(operator, { action, resourceType: 'Questionnaire', patientId: null, id: 'mine', tokens: new Set(['url=https://example.org/q']) }).allow).toBe(true);
      expect(decide(system, { action, resourceType: 'Questionnaire', patientId: null, id: 'key-age-45-50-2026.1' }).allow).toBe(true);
    }
    for (const action of ['read', 'search'] as const) {
      expect(decide(operator, { action, resourceType: 'Questionnaire', patientId: null, id: 'key-age-45-50-2026.1' }).allow).toBe(true);
    }
  });

  it('whatever the id after the prefix, no write by an operator', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.constantFrom('create', 'update', 'delete') as fc.Arbitrary<'create' | 'update' | 'delete'>, (rest, action) => {
        expect(decide(operator, { action, resourceType: 'Questionnaire', patientId: null, id: `key-age-${rest}` }).allow).toBe(false);
      }),
    );
  });
});
