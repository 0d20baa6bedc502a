import { SYSTEM } from '../../domain/access/index.js';
import { AGENDA_AUTHOR_SYSTEM, EXT_AUTHOR, fhirInstant, parseAgendaInput, toAppointment, type AgendaInput } from '../../domain/agenda/index.js';
import { makeContext } from '../../repo/index.js';
import { syncReminder } from '../agenda/reminders.js';
import type { ProfileDeps } from '../profile/deps.js';
import { demoId, ORGANIZATIONS, patientId, practitionerId } from './world.js';

type Json = Record<string, unknown>;

const DAY_MS = 86_400_000;

/** An instant `days` from now at a UTC time of day (the demo's appointments fall on round hours). */
function dayAt(now: Date, days: number, utcHour: number, minute = 0): string {
  const d = new Date(now.getTime() + days * DAY_MS);
  d.setUTCHours(utcHour, minute, 0, 0);
  return fhirInstant(d);
}

/**
 * The demo patients' agenda (docs/agenda.md): Camille Martin's appointments to come and past (with her médecin
 * traitant Dr Durand and the imaging service of the Centre hospitalier Paris-Est), a free reminder, and one
 * appointment booked through a connected app (read-only in Carnet); Léo's next check-up, which his mother entered.
 */
export async function seedDemoAgenda(deps: ProfileDeps, now: Date): Promise<void> {
  const camille = patientId('camille.martin');
  const leo = patientId('leo.martin');
  const durand = { type: 'PRACTITIONER' as const, name: 'Dr Claire Durand', id: practitionerId('dr.durand'), specialty: 'Médecine générale' };
  const msp = ORGANIZATIONS.find((o) => o.key === 'msp-belleville')!;
  const imaging = ORGANIZATIONS.find((o) => o.key === 'ch-paris-est')!;
  const addressOf = (o: (typeof ORGANIZATIONS)[number]) => `${o.line}, ${o.postalCode} ${o.city}`;

  const entries: { key: string; patient: string; input: Record<string, unknown> }[] = [
    {
      key: 'camille-suivi',
      patient: camille,
      input: { kind: 'appointment', title: 'Consultation de suivi', start: dayAt(now, 9, 8, 30), end: dayAt(now, 9, 9), with: durand, address: addressOf(msp), comment: 'Renouvellement du traitement ; apporter le carnet de tension.' },
    },
    {
      key: 'camille-irm',
      patient: camille,
      input: {
        kind: 'appointment',
        title: 'IRM du genou droit',
        start: dayAt(now, 23, 13),
        end: dayAt(now, 23, 13, 45),
        with: { type: 'HEALTHCARE_SERVICE', name: imaging.name, specialty: 'Imagerie médicale' },
        address: addressOf(imaging),
        comment: 'Se présenter 30 minutes avant, avec l’ordonnance et les anciens clichés.',
        status: 'booked',
      },
    },
    {
      key: 'camille-rappel-ordonnance',
      patient: camille,
      input: { kind: 'reminder', title: 'Passer à la pharmacie renouveler l’ordonnance', start: dayAt(now, 4, 7), comment: 'Pharmacie du Marché' },
    },
    {
      key: 'camille-consultation-passee',
      patient: camille,
      input: { kind: 'appointment', title: 'Consultation', start: dayAt(now, -40, 9), end: dayAt(now, -40, 9, 20), with: durand, address: addressOf(msp), status: 'fulfilled' },
    },
    {
      key: 'camille-echographie-passee',
      patient: camille,
      input: { kind: 'appointment', title: 'Échographie abdominale', start: dayAt(now, -75, 14), end: dayAt(now, -75, 14, 30), with: { type: 'HEALTHCARE_SERVICE', name: imaging.name }, address: addressOf(imaging), status: 'fulfilled' },
    },
    {
      key: 'camille-annule',
      patient: camille,
      input: { kind: 'appointment', title: 'Radio du genou', start: dayAt(now, 12, 10), with: { type: 'HEALTHCARE_SERVICE', name: imaging.name }, status: 'cancelled', comment: 'Remplacée par l’IRM.' },
    },
    {
      key: 'leo-bilan',
      patient: leo,
      input: { kind: 'appointment', title: 'Examen de santé de Léo (examen obligatoire des 8-9 ans)', start: dayAt(now, 30, 15, 30), end: dayAt(now, 30, 16), with: durand, address: addressOf(msp), comment: 'Apporter le carnet de santé.' },
    },
  ];

  const ctx = makeContext(SYSTEM, { now: () => now });
  await deps.repo.run(ctx, async (ops) => {
    const written: { id: string; resource: Json }[] = [];
    for (const e of entries) {
      const input: AgendaInput = parseAgendaInput(e.input);
      const { version } = await ops.create(toAppointment(input, e.patient, { name: 'Camille Martin' }), { id: demoId(`appointment:${e.key}`) });
      written.push({ id: version.id, resource: JSON.parse(version.content!) as Json });
    }
    // booked through a connected app (a booking service): shown with its name, read-only in Carnet
    const booked: Json = {
      resourceType: 'Appointment',
      meta: { source: 'https://www.maprise-rdv.example.fr' },
      extension: [{ url: EXT_AUTHOR, valueCoding: { system: AGENDA_AUTHOR_SYSTEM, code: 'app', display: 'MaPriseRDV' } }],
      status: 'booked',
      description: 'Détartrage',
      specialty: [{ text: 'Chirurgie dentaire' }],
      start: dayAt(now, 16, 15, 30),
      end: dayAt(now, 16, 16),
      comment: 'Réservé sur MaPriseRDV. Pour annuler, passez par l’application.',
      participant: [
        { actor: { reference: `Patient/${camille}` }, required: 'required', status: 'accepted' },
        { actor: { type: 'Practitioner', display: 'Dr Sarah Cohen' }, required: 'required', status: 'accepted' },
      ],
    };
    const { version } = await ops.create(booked, { id: demoId('appointment:camille-dentiste-app') });
    written.push({ id: version.id, resource: JSON.parse(version.content!) as Json });
    await ops.withTables(async (q) => {
      for (const w of written) await syncReminder(q, w.id, w.resource, now);
    });
  });
}
