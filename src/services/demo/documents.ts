import { PDFDocument, StandardFonts } from 'pdf-lib';
import { makeContext, loadPrincipal } from '../../repo/index.js';
import { declareAccess } from '../care/access.js';
import { depositBundle } from '../dmp/deposit-bundle.js';
import type { DmpDeps } from '../dmp/deps.js';
import { provideDocuments } from '../dmp/provide.js';
import type { Visibility } from '../../domain/documents/codes.js';
import { patientId, userId } from './world.js';

/**
 * The demo world's shared record: documents deposited by the demo professionals through the ITI-65 path, as
 * their software would, so that a fresh `npm start` shows a biology report, an imaging report held back until
 * the announcement consultation, and a medical summary.
 */
interface DemoDocument {
  by: string;
  patient: string;
  typeCode: string;
  title: string;
  lines: string[];
  visibility?: Visibility[];
  daysAgo: number;
}

const DOCUMENTS: DemoDocument[] = [
  {
    by: 'bio.roux',
    patient: 'camille.martin',
    typeCode: '11502-2',
    title: 'Bilan sanguin',
    lines: ['Hémoglobine : 13,4 g/dL (12,0 - 16,0)', 'Leucocytes : 6,2 G/L (4,0 - 10,0)', 'Glycémie à jeun : 0,92 g/L (0,70 - 1,10)', 'Cholestérol total : 1,86 g/L'],
    daysAgo: 3,
  },
  {
    by: 'dr.durand',
    patient: 'camille.martin',
    typeCode: '60591-5',
    title: 'Synthèse médicale',
    lines: ['Antécédents : asthme dans l’enfance', 'Allergies : pénicilline', 'Traitement en cours : aucun', 'Vaccinations à jour'],
    daysAgo: 40,
  },
  {
    by: 'dr.petit',
    patient: 'camille.martin',
    typeCode: '18748-4',
    title: 'Compte rendu d’échographie',
    lines: ['Échographie abdominale', 'Conclusion à discuter lors de la consultation d’annonce'],
    visibility: ['INVISIBLE_PATIENT'],
    daysAgo: 1,
  },
  {
    by: 'dr.durand',
    patient: 'leo.martin',
    typeCode: '59283-2',
    title: 'Examen de santé des 6 ans',
    lines: ['Croissance harmonieuse', 'Vision et audition normales'],
    daysAgo: 60,
  },
];

async function pdf(title: string, lines: string[], by: string): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  page.drawText(title, { x: 50, y: 780, size: 18, font: bold });
  page.drawText(`Document de démonstration Carnet — ${by}`, { x: 50, y: 755, size: 10, font });
  lines.forEach((l, i) => page.drawText(l, { x: 50, y: 715 - i * 20, size: 12, font }));
  doc.setTitle(title);
  return Buffer.from(await doc.save());
}

export async function seedDemoDocuments(dmp: DmpDeps, now: Date): Promise<number> {
  let n = 0;
  for (const d of DOCUMENTS) {
    const principal = await loadPrincipal(dmp.db, userId(d.by));
    if (!principal?.practitionerId) continue;
    const at = new Date(now.getTime() - d.daysAgo * 86_400_000);
    const ctx = makeContext(principal, { now: () => at });
    const pid = patientId(d.patient);
    // the laboratory and the radiologist are in the patient's care team (the médecin traitant already is)
    await declareAccess({ repo: dmp.repo }, ctx, pid, 'care-team').catch(() => undefined);
    const bundle = depositBundle({
      patientId: pid,
      bytes: await pdf(d.title, d.lines, principal.displayName),
      format: 'pdf',
      typeCode: d.typeCode,
      title: d.title,
      visibility: d.visibility ?? [],
      author: { practitionerId: principal.practitionerId, display: principal.displayName },
      now: at,
    });
    await provideDocuments(dmp, ctx, bundle);
    n++;
  }
  return n;
}
