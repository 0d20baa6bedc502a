import { MedplumClient } from '@medplum/core';
import { Client as FhirKitClient } from 'fhir-kit-client';
import smart from 'fhirclient';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCarnet, type TestCarnet } from './support/carnet.js';

/**
 * Conformance with real FHIR client libraries: each creates, reads, searches with paging and posts a
 * transaction, with no client-specific code in the server.
 */
let t: TestCarnet;
let token: string;
const patientId = 'clients-patient';

beforeAll(async () => {
  t = await startCarnet();
  token = await t.patient(patientId);
});
afterAll(() => t.close());

const observation = (text: string) => ({
  resourceType: 'Observation' as const,
  status: 'final' as const,
  code: { text },
  subject: { reference: `Patient/${patientId}` },
});

const transaction = (tag: string) => ({
  resourceType: 'Bundle' as const,
  type: 'transaction' as const,
  entry: [
    { fullUrl: 'urn:uuid:5c1e9c37-0d8b-4c7e-9d1f-0a1b2c3d4e5f', resource: observation(`${tag} systolique`), request: { method: 'POST' as const, url: 'Observation' } },
    {
      fullUrl: 'urn:uuid:7a2f1b48-1e9c-4d8f-8e2a-1b2c3d4e5f60',
      resource: { ...observation(`${tag} tension`), hasMember: [{ reference: 'urn:uuid:5c1e9c37-0d8b-4c7e-9d1f-0a1b2c3d4e5f' }] },
      request: { method: 'POST' as const, url: 'Observation' },
    },
  ],
});

describe('fhir-kit-client', () => {
  const Client = FhirKitClient as unknown as new (o: object) => any;

  it('creates, reads, searches with paging and posts a transaction', async () => {
    const client = new Client({ baseUrl: t.fhirBase, customHeaders: { Authorization: `Bearer ${token}` } });
    const created = await client.create({ resourceType: 'Observation', body: observation('fkc') });
    expect(created.id).toBeTruthy();
    const read = await client.read({ resourceType: 'Observation', id: created.id });
    expect(read.code.text).toBe('fkc');
    for (let i = 0; i < 4; i++) await client.create({ resourceType: 'Observation', body: observation(`fkc ${i}`) });
    let page = await client.search({ resourceType: 'Observation', searchParams: { _count: 2 } });
    const ids = new Set<string>();
    let pages = 0;
    while (page && pages < 20) {
      page.entry?.forEach((e: any) => ids.add(e.resource.id));
      pages++;
      page = await client.nextPage({ bundle: page });
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(ids.size).toBeGreaterThanOrEqual(5);
    const response = await client.transaction({ body: transaction('fkc') });
    expect(response.type).toBe('transaction-response');
    expect(response.entry[1].resource.hasMember[0].reference).toBe(`Observation/${response.entry[0].resource.id}`);
  });
});

describe('fhirclient (SMART on FHIR JS client)', () => {
  it('creates, reads, searches with paging and posts a transaction', async () => {
    // the library's plain (non-SMART-launch) client, exported on the Node entry
    const client = new (smart as unknown as { FhirClient: new (base: string) => any }).FhirClient(t.fhirBase);
    const headers = { Authorization: `Bearer ${token}` };
    const created: any = await client.create(observation('smart'), { headers });
    expect(created.id).toBeTruthy();
    const read: any = await client.fhirRequest(`Observation/${created.id}`, { headers } as any);
    expect(read.code.text).toBe('smart');
    for (let i = 0; i < 4; i++) await client.create(observation(`smart ${i}`), { headers });
    const pages: any[] = [];
    for await (const page of client.pages('Observation?_count=2', { headers } as any)) {
      pages.push(page);
      if (pages.length >= 20) break;
    }
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const all = pages.flatMap((p) => p.entry ?? []);
    expect(new Set(all.map((e: any) => e.resource.id)).size).toBe(all.length);
    const response: any = await client.fhirRequest('', {
      method: 'POST',
      body: JSON.stringify(transaction('smart')),
      headers: { ...headers, 'Content-Type': 'application/fhir+json' },
    });
    expect(response.type).toBe('transaction-response');
  });
});

describe('MedplumClient (@medplum/core 4)', () => {
  it('creates, reads, searches with paging and posts a transaction', async () => {
    const medplum = new MedplumClient({ baseUrl: `${t.baseUrl}/`, fhirUrlPath: 'fhir', fetch: globalThis.fetch.bind(globalThis) });
    medplum.setAccessToken(token);
    const created = await medplum.createResource(observation('medplum'));
    expect(created.id).toBeTruthy();
    const read = await medplum.readResource('Observation', created.id!);
    expect(read.code.text).toBe('medplum');
    for (let i = 0; i < 4; i++) await medplum.createResource(observation(`medplum ${i}`));
    let pages = 0;
    const ids = new Set<string>();
    for await (const page of medplum.searchResourcePages('Observation', { _count: 2 })) {
      page.forEach((r) => ids.add(r.id!));
      if (++pages >= 20) break;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(ids.size).toBeGreaterThanOrEqual(5);
    const response = await medplum.executeBatch(transaction('medplum'));
    expect(response.type).toBe('transaction-response');
    expect(response.entry?.map((e) => e.response?.status)).toEqual(['201', '201']);
  });
});
