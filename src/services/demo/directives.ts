import { loadPrincipal, makeContext } from '../../repo/index.js';
import type { ProfileDeps } from '../profile/deps.js';
import { saveDirectivesForm } from '../profile-documents/directives.js';
import { patientId, userId } from './world.js';

/**
 * The demo patients' advance directives (issue 8, docs/profile-documents.md): Louis Bernard (born 1957) wrote
 * his with the "end of life" form three months ago, through the same path as the web app (PDF filed in his
 * documents, Consent in his record).
 */
export async function seedDemoDirectives(deps: ProfileDeps, now: Date): Promise<void> {
  const principal = await loadPrincipal(deps.db, userId('louis.bernard'));
  if (!principal) return;
  const at = new Date(now.getTime() - 92 * 86_400_000);
  const ctx = makeContext(principal, { now: () => at });
  await saveDirectivesForm(deps, ctx, patientId('louis.bernard'), {
    model: 'end-of-life',
    answers: {
      context:
        "J'ai une insuffisance cardiaque depuis plusieurs années. Ce qui compte pour moi : rester chez moi, auprès de ma femme, et ne pas souffrir.",
      lifeSupport:
        "Si je ne peux plus exprimer ma volonté et que les médecins estiment qu'il n'y a plus d'espoir raisonnable d'amélioration, je ne souhaite pas être maintenu artificiellement en vie : ni réanimation cardio-respiratoire, ni respiration artificielle, ni dialyse.",
      sedation: "Je souhaite une sédation profonde et continue jusqu'au décès si mes souffrances ne peuvent pas être soulagées autrement.",
      treatmentsStarted: 'Des soins de confort et le traitement de la douleur, même s’ils peuvent abréger ma vie.',
      treatmentsStopped: "L'alimentation et l'hydratation artificielles, si elles ne servent qu'à prolonger ma vie.",
      otherWishes: 'Je souhaite finir ma vie à mon domicile, entouré de ma famille. Ma personne de confiance est mon épouse.',
      place: 'Paris',
    },
  });
}
