import { SYSTEM } from '../../../domain/access/index.js';
import type { Json } from '../../../domain/prevention/questionnaire/index.js';
import { AppError } from '../../../errors.js';
import { canonicalJson } from '../../../fhir/json.js';
import { makeContext, type Repository } from '../../../repo/index.js';
import { questionnaires, type QuestionnaireCatalogue } from './catalogue.js';

/** A resource without its meta (the store's versionId and lastUpdated do not make it different). */
function withoutMeta(resource: Json): Json {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

/**
 * Writes the shipped key-age questionnaires to the FHIR store as shared resources (Questionnaire is a directory
 * type: every signed-in user reads it, outside any record), as Carnet itself, at every start and idempotently:
 * a version missing or different from its file is written (a new FHIR version), one already the same is left
 * alone. Ids are key-age-<band>-<version>. One unit of work.
 */
export async function loadShippedQuestionnaires(repo: Repository, catalogue: QuestionnaireCatalogue = questionnaires()): Promise<{ written: string[] }> {
  const written: string[] = [];
  await repo.run(makeContext(SYSTEM), async (ops) => {
    for (const { questionnaire, resource } of catalogue.byId.values()) {
      let stored: string | null = null;
      try {
        stored = (await ops.read('Questionnaire', questionnaire.id)).content;
      } catch (err) {
        if (!(err instanceof AppError) || (err.status !== 404 && err.status !== 410)) throw err;
      }
      if (stored !== null && canonicalJson(withoutMeta(JSON.parse(stored) as Json)) === canonicalJson(withoutMeta(resource))) continue;
      await ops.update({ ...resource, id: questionnaire.id });
      written.push(questionnaire.id);
    }
  });
  return { written };
}
