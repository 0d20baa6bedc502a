import fs from 'node:fs';
import path from 'node:path';
import type { QuestionnaireView } from '../../../contract/prevention.js';
import { compareVersions, parseQuestionnaire, questionnaireView, type Json, type KeyAgeQuestionnaire } from '../../../domain/prevention/questionnaire/index.js';
import { notFound } from '../../../errors.js';
import { packagePath } from '../../../package-root.js';

/**
 * The key-age questionnaires shipped with Carnet (data/prevention/questionnaires, one FHIR Questionnaire per
 * band and version), read and checked once: a file that does not parse stops the start, named. The files are
 * what the API serves; the same resources are written to the FHIR store at start (load.ts) for /fhir readers.
 * The current version of a band, offered for new responses, is its latest `active` one; a response keeps the
 * version it was started on, retired or not.
 */
export class QuestionnaireCatalogue {
  /** Every version, by id (key-age-18-25-2026.1). */
  readonly byId = new Map<string, { questionnaire: KeyAgeQuestionnaire; resource: Json }>();

  constructor(entries: { file: string; resource: Json }[]) {
    const seen = new Map<string, string>();
    for (const { file, resource } of entries) {
      let q: KeyAgeQuestionnaire;
      try {
        q = parseQuestionnaire(resource);
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      const key = `${q.url}|${q.version}`;
      if (seen.has(key)) throw new Error(`${file}: ${key} is also defined by ${seen.get(key)}`);
      seen.set(key, file);
      this.byId.set(q.id, { questionnaire: q, resource });
    }
  }

  all(): KeyAgeQuestionnaire[] {
    return [...this.byId.values()].map((e) => e.questionnaire);
  }

  /** The bands, youngest first ('18-25', '45-50'...). */
  bands(): string[] {
    const bands = new Map(this.all().map((q) => [q.band, q.ageBand.min]));
    return [...bands].sort((a, b) => a[1] - b[1]).map(([b]) => b);
  }

  /** The latest active version of a band, or undefined. */
  current(band: string): KeyAgeQuestionnaire | undefined {
    return this.all()
      .filter((q) => q.band === band && q.status === 'active')
      .sort((a, b) => compareVersions(b.version, a.version))[0];
  }

  /** A version by its canonical URL and version. */
  get(url: string, version: string): KeyAgeQuestionnaire | undefined {
    return this.all().find((q) => q.url === url && q.version === version);
  }

  /** The band's version asked (its current one by default), or 404 naming the band or the version. */
  versionOf(band: unknown, version?: unknown): KeyAgeQuestionnaire {
    if (typeof band !== 'string' || !this.bands().includes(band)) {
      throw notFound(`band: no key-age questionnaire for ${String(band)} (${this.bands().join(', ')})`).withCode('questionnaire.unknown-band');
    }
    if (version === undefined || version === '') return this.current(band) ?? this.latest(band);
    const q = typeof version === 'string' ? this.all().find((x) => x.band === band && x.version === version) : undefined;
    if (!q) throw notFound(`version: the ${band} questionnaire has no version ${String(version)}`).withCode('questionnaire.unknown-version');
    return q;
  }

  private latest(band: string): KeyAgeQuestionnaire {
    return this.all()
      .filter((q) => q.band === band)
      .sort((a, b) => compareVersions(b.version, a.version))[0]!;
  }

  view(q: KeyAgeQuestionnaire): QuestionnaireView {
    return questionnaireView(q);
  }
}

/** data/prevention/questionnaires in the Carnet package. */
export function shippedQuestionnairesDir(): string {
  return packagePath('data', 'prevention', 'questionnaires');
}

/** Reads and checks every *.json of a folder; throws naming the file at fault. */
export function loadQuestionnaires(dir: string = shippedQuestionnairesDir()): QuestionnaireCatalogue {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return new QuestionnaireCatalogue(
    files.map((file) => {
      let resource: Json;
      try {
        resource = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Json;
      } catch (err) {
        throw new Error(`${file}: ${(err as Error).message}`);
      }
      return { file, resource };
    }),
  );
}

let cached: QuestionnaireCatalogue | undefined;

/** The shipped questionnaires, read once. */
export function questionnaires(): QuestionnaireCatalogue {
  return (cached ??= loadQuestionnaires());
}
