import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { apiPost, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDate } from '../../../format';
import type { QuestionnaireResponseView, QuestionnaireView } from '../../../prevention-types';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { QuestionnaireForm } from './questionnaire/QuestionnaireForm';
import { ResponseAnswers } from './questionnaire/ResponseAnswers';
import { ResponseList, responseHeadingId } from './questionnaire/ResponseList';
import { bandPath, QUESTIONNAIRES_KEY, useBand, useQuestionnaire } from './questionnaire/useQuestionnaire';
import './questionnaire/questionnaire.css';

/**
 * /patient/prevention/questionnaire/:band (band like 18-25), "Mon bilan prévention": the band's questionnaire
 * (title, version), the acting profile's responses (a draft to continue, finalised ones with their PDF), and the
 * player: the draft's questions by group, saved as a draft or finalised; a finalised response read-only.
 */
export function QuestionnairePage() {
  const { t } = useTranslation();
  const { band = '' } = useParams();
  const { actingId } = useActing();
  const questionnaire = useQuestionnaire(band);
  const summary = useBand(band);
  const { announce, statusMessage } = useAnnouncer();
  const q = questionnaire.data;

  return (
    <>
      <PageHeading title={q?.title ?? t('questionnaire.title')} />
      <p>
        <Link to="/patient/prevention">{t('questionnaire.back')}</Link>
      </p>
      {q && (
        <p className="meta">
          {t('questionnaire.version', { version: q.version })} · {t('questionnaire.ageBand', { min: q.ageBand.min, max: q.ageBand.max })}
        </p>
      )}
      <p>{t('questionnaire.intro')}</p>
      {statusMessage}
      {questionnaire.isPending || (q && summary.isPending) ? (
        <Loading />
      ) : questionnaire.isError ? (
        <QueryError error={questionnaire.error} />
      ) : summary.isError ? (
        <QueryError error={summary.error} />
      ) : (
        <Player key={`${actingId}/${band}`} band={band} questionnaire={q!} offered={summary.data!.offered} responses={summary.data!.responses} announce={announce} />
      )}
    </>
  );
}

function Player({
  band,
  questionnaire,
  offered,
  responses: listed,
  announce,
}: {
  band: string;
  questionnaire: QuestionnaireView;
  offered: boolean;
  responses: QuestionnaireResponseView[];
  announce: (text: string, ok?: boolean) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  // a response just finalised shows as final at once, while the list reloads
  const [finalised, setFinalised] = useState<QuestionnaireResponseView | null>(null);
  const responses = listed.map((r) => (finalised?.id === r.id && r.status === 'draft' ? finalised : r));
  const draft = responses.find((r) => r.status === 'draft');
  const [chosen, setChosen] = useState<string | undefined>();
  const [starting, setStarting] = useState(false);
  const [focusOn, setFocusOn] = useState<string | null>(null);
  const open = responses.find((r) => r.id === (chosen ?? draft?.id));
  // a response started on an earlier version is shown, and answered, with that version's questions
  const older = open !== undefined && open.questionnaire.version !== questionnaire.version;
  const olderVersion = useQuestionnaire(band, open?.questionnaire.version, older);

  // the focus goes where the person's next step is, once it is on screen
  useEffect(() => {
    if (!focusOn) return;
    const element = document.getElementById(focusOn);
    if (element) {
      element.focus();
      setFocusOn(null);
    }
  });

  const start = async () => {
    if (starting) return;
    setStarting(true);
    try {
      const created = await apiPost<QuestionnaireResponseView>(`${bandPath(band)}/responses`, { answers: {} });
      await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
      setChosen(created.id);
      setFocusOn('qr-form-title');
      announce(t('questionnaire.responses.started'));
    } catch (error) {
      announce(errorMessage(error), false);
      // e.g. a draft started meanwhile in another tab (409 questionnaire.draft-exists): show it
      await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
    } finally {
      setStarting(false);
    }
  };

  const choose = (id: string) => {
    setChosen(id);
    setFocusOn('qr-form-title');
  };

  return (
    <>
      <section aria-labelledby="qr-responses-title" className="panel">
        <h2 id="qr-responses-title">{t('questionnaire.responses.title')}</h2>
        {!offered && <p>{t('questionnaire.responses.notOffered')}</p>}
        {responses.length === 0 ? offered && <p>{t('questionnaire.responses.empty')}</p> : <ResponseList responses={responses} openId={open?.id} onOpen={choose} announce={announce} />}
        {offered && !draft && (
          <button
            type="button"
            className={responses.length === 0 ? 'button button--primary' : 'button button--secondary'}
            aria-disabled={starting || undefined}
            onClick={() => void start()}
          >
            {responses.length === 0 ? t('questionnaire.responses.start') : t('questionnaire.responses.startAgain')}
          </button>
        )}
      </section>

      {open && (
        <section aria-labelledby="qr-form-title" className="qr-player">
          <h2 id="qr-form-title" tabIndex={-1}>
            {open.status === 'final' ? t('questionnaire.form.titleFinal', { date: formatDate(open.finalisedAt ?? open.updatedAt) }) : t('questionnaire.form.titleDraft')}
          </h2>
          {older && olderVersion.isPending ? (
            <Loading />
          ) : older && olderVersion.isError ? (
            <QueryError error={olderVersion.error} />
          ) : open.status === 'final' ? (
            <ResponseAnswers questionnaire={older ? olderVersion.data! : questionnaire} response={open} />
          ) : (
            <QuestionnaireForm
              key={open.id}
              questionnaire={older ? olderVersion.data! : questionnaire}
              response={open}
              onSaved={announce}
              onFinalised={(final) => {
                setFinalised(final);
                setChosen(final.id);
                setFocusOn(responseHeadingId(final.id));
                announce(t('questionnaire.form.finalised'));
              }}
            />
          )}
        </section>
      )}
    </>
  );
}
