import { SYSTEM } from '../../domain/access/index.js';
import { makeContext } from '../../repo/index.js';
import { deliverToPatient } from '../messaging/deliver.js';
import type { MessagingDeps } from '../messaging/deps.js';
import { mailboxOfPatient, proMailbox } from '../messaging/mailboxes.js';
import { demoMailbox } from './directory.js';
import { organizationId, patientId, PRACTITIONERS } from './world.js';

/**
 * The demo world's mailbox: Camille Martin used the Pharmacie du Marché last month (the reimbursement feed's
 * dispensation, which makes it a suggested contact), and her médecin traitant wrote to her after the blood test.
 */
export async function seedDemoMessages(deps: MessagingDeps, now: Date): Promise<void> {
  const camille = patientId('camille.martin');
  await deps.db.query(
    `INSERT INTO pharmacy_dispensation (patient_id, organization_id, dispensed_on, source) VALUES ($1, $2, $3, 'reimbursement') ON CONFLICT DO NOTHING`,
    [camille, organizationId('pharmacie-marche'), new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10)],
  );
  const recipient = await mailboxOfPatient(deps.db, camille, deps.config.domain);
  const durand = PRACTITIONERS.find((p) => p.login === 'dr.durand')!;
  const sender = await proMailbox(deps.db, demoMailbox(durand));
  if (!recipient || recipient.state !== 'active' || !sender) return;
  await deliverToPatient(
    deps,
    makeContext(SYSTEM, { now: () => now }),
    recipient,
    {
      from: { address: sender.address, name: sender.displayName },
      to: [recipient.address],
      cc: [],
      subject: 'Votre bilan sanguin',
      text:
        'Bonjour Madame Martin,\n\nJ’ai reçu les résultats de votre bilan sanguin : ils sont normaux. ' +
        'Le compte rendu est dans vos documents.\n\nPensez à prendre rendez-vous pour le renouvellement de votre traitement.\n\nDr Claire Durand',
      references: [],
      mss: { ends: false, cdaCodes: [], problems: [] },
      attachments: [],
    },
    sender,
  );
}
