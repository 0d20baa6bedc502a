import type { TestCarnet } from './carnet.js';
import { insuredPatient, professional, type ProOptions, type TestPatient, type TestPro } from './care.js';

/** Builders for the messaging tests: professionals with a published mailbox, pharmacies, active patients. */

export interface TestMailboxPro extends TestPro {
  address: string;
  organizationId: string;
}

let n = 0;

/** Publishes a mailbox in the directory (Extraction_Correspondance_MSSante's table). */
export async function publishMailbox(tc: TestCarnet, o: { address: string; kind: 'PER' | 'ORG'; practitionerId?: string; organizationId?: string; organizationName?: string }): Promise<void> {
  await tc.db.query(
    `INSERT INTO directory_mailbox (address, kind, practitioner_id, organization_id, organization_name, active, updated_at) VALUES ($1, $2, $3, $4, $5, true, now())`,
    [o.address.toLowerCase(), o.kind, o.practitionerId ?? null, o.organizationId ?? null, o.organizationName ?? null],
  );
}

/** A professional with a personal mailbox `<given>.<family>.<n>@<domain>`. */
export async function proWithMailbox(tc: TestCarnet, o: ProOptions & { domain?: string } = {}): Promise<TestMailboxPro> {
  n++;
  const orgId = o.organization?.id ?? `O${process.pid}-${n}`;
  const pro = await professional(tc, { ...o, organization: o.organization ?? { id: orgId, name: `Cabinet ${n}`, city: 'Paris' } });
  const address = `pro${n}.${pro.rpps}@${o.domain ?? 'demo.mssante.fr'}`;
  await publishMailbox(tc, { address, kind: 'PER', practitionerId: pro.practitionerId });
  return { ...pro, address, organizationId: orgId };
}

/** A pharmacist of an officine (section A of the Ordre) with a personal mailbox: a pharmacy patients may write to. */
export async function pharmacist(tc: TestCarnet, o: { name?: string; city?: string; domain?: string } = {}): Promise<TestMailboxPro> {
  n++;
  const organization = { id: `PH${process.pid}-${n}`, name: o.name ?? `Pharmacie Test ${n}`, city: o.city ?? 'Lyon' };
  const pro = await proWithMailbox(tc, { profession: '21', organization, family: `Apothicaire${n}`, ...(o.domain ? { domain: o.domain } : {}) });
  await tc.db.query(`UPDATE directory_role SET pharmacist_section_code = 'A', pharmacist_section_label = 'Pharmacien titulaire d''officine' WHERE id = $1`, [pro.roleId]);
  return pro;
}

/** A dispensation by this pharmacy, `daysAgo` days ago, as the reimbursement feed brings them. */
export async function dispensed(tc: TestCarnet, patientId: string, organizationId: string, daysAgo: number): Promise<void> {
  const on = new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  await tc.db.query(`INSERT INTO pharmacy_dispensation (patient_id, organization_id, dispensed_on, source) VALUES ($1, $2, $3, 'reimbursement')`, [patientId, organizationId, on]);
}

/** An insured person whose profile is active (it has a mailbox), and their address. */
export async function activePatient(tc: TestCarnet): Promise<TestPatient & { address: string }> {
  const p = await insuredPatient(tc, { state: 'active' });
  return { ...p, address: `${p.nir}@patient.carnet.test` };
}
