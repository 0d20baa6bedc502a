import { it } from 'vitest';
import { validationIssues } from './validate.js';

const cases: Record<string, unknown> = {
  obsAtt: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueAttachment: { contentType: 'text/plain', data: 'aGVs bG8g' } },
  extB64: { resourceType: 'Patient', extension: [{ url: 'http://x', valueBase64Binary: 'aGVs bG8g' }] },
  docRef: { resourceType: 'DocumentReference', status: 'current', content: [{ attachment: { contentType: 'text/plain', data: 'aGVs bG8g' } }] },
  bundleBin: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs bG8g' } }] },
  b64newline: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGVs\nbG8g' },
  b64three: { resourceType: 'Binary', contentType: 'text/plain', data: 'aGV' },
  codingBinding: { resourceType: 'Patient', communication: [{ language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'zz-nope' }] } }] },
  genderArr: { resourceType: 'Patient', contact: [{ gender: 'bogus' }] },
  qr: { resourceType: 'QuestionnaireResponse', status: 'done' },
  apptMissing: { resourceType: 'Appointment', status: 'booked' },
  nullProp: { resourceType: 'Patient', active: null },
  containedId: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'a_b' }] },
  idNum: { resourceType: 'Patient', id: 5 },
  decNum: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, valueQuantity: { value: 1.5 } },
  dtOk: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, effectiveDateTime: '2020-01-01T10:00:00+01:00' },
  instantBad: { resourceType: 'Observation', status: 'final', code: { text: 'x' }, issued: '2020-01-01' },
};
it('explore', () => {
  for (const [k, v] of Object.entries(cases)) console.log(k, JSON.stringify(validationIssues(v)));
});
