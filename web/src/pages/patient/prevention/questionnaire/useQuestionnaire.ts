/** The key-age questionnaire's queries and requests (GET/POST/PUT /api/prevention/questionnaire…), keyed on the acting profile. */
import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../../api';
import { useActing } from '../../../../acting';
import type { QuestionnaireBandSummary, QuestionnaireList, QuestionnaireView } from '../../../../prevention-types';

/** The first part of every query key of the questionnaires (invalidate it after a change). */
export const QUESTIONNAIRES_KEY = 'prevention-questionnaires';

export const bandPath = (band: string) => `/api/prevention/questionnaires/${encodeURIComponent(band)}`;
export const responsePath = (id: string, action?: 'finalise' | 'file' | 'pdf') =>
  `/api/prevention/questionnaire-responses/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

/**
 * The band's questionnaire (GET /api/prevention/questionnaires/:band): its current version, or the version a
 * response was started on (`?version=`); not fetched while `enabled` is false.
 */
export function useQuestionnaire(band: string, version?: string, enabled = true) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [QUESTIONNAIRES_KEY, actingId, 'questionnaire', band, version ?? 'current'],
    queryFn: ({ signal }) => apiGet<QuestionnaireView>(`${bandPath(band)}${version ? `?version=${encodeURIComponent(version)}` : ''}`, signal),
    enabled,
    retry: false,
    staleTime: 10 * 60_000,
  });
}

/**
 * What the acting profile has of the band (GET /api/prevention/questionnaires): whether a response may be started
 * (offered) and its responses, latest first. A band neither offered nor answered is not listed: then nothing.
 */
export function useBand(band: string) {
  const { actingId } = useActing();
  return useQuery({
    queryKey: [QUESTIONNAIRES_KEY, actingId, 'list'],
    queryFn: ({ signal }) => apiGet<QuestionnaireList>('/api/prevention/questionnaires', signal),
    select: (list): Pick<QuestionnaireBandSummary, 'offered' | 'responses'> => {
      const found = list.questionnaires.find((q) => q.band === band);
      return {
        offered: found?.offered ?? false,
        responses: [...(found?.responses ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)),
      };
    },
  });
}
