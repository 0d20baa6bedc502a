import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, apiGet, apiPost, apiPut, codeMessage, errorMessage } from '../../../../api';
import { ErrorSummary } from '../../../../components/ErrorSummary';
import { SubmitButton } from '../../../../components/SubmitButton';
import { formatDateTime } from '../../../../format';
import type { FieldError } from '../../../../hooks/useSubmit';
import type { QuestionnaireResponseView, QuestionnaireView, QuestionView } from '../../../../prevention-types';
import { ConfirmBox } from '../../professionals/ConfirmBox';
import { answersToSend, enabledQuestions, inputIdOf, questionsOf, type Answers } from './answers';
import { QuestionField } from './QuestionField';
import { QUESTIONNAIRES_KEY, responsePath } from './useQuestionnaire';

/** An error of the player: the summary's message (naming the question) and the shorter one shown at the question. */
interface PlayerError extends FieldError {
  here?: string;
}

/** The codes whose fields are questions, with a message per question (questionnaire.fieldErrors). */
const FIELD_CODES = ['incomplete', 'unknown-question', 'invalid-answer', 'answer-too-long'] as const;

/**
 * The errors of a refused request: one per question the API names (problem+json `fields` = linkIds), linking to
 * the question; otherwise the translated code (or status) about the whole request.
 */
function playerErrors(error: unknown, questions: Map<string, QuestionView>, t: (key: string, o?: Record<string, unknown>) => string): PlayerError[] {
  if (error instanceof ApiError && error.fields.length > 0) {
    const short = error.code?.replace(/^questionnaire\./, '') ?? '';
    const kind = (FIELD_CODES as readonly string[]).includes(short) ? short : 'invalid';
    const byField = error.fields.flatMap((linkId): PlayerError[] => {
      const question = questions.get(linkId);
      if (!question) return [];
      return [{ field: inputIdOf(question), message: t(`questionnaire.fieldErrors.${kind}`, { question: question.text }), here: t(`questionnaire.fieldErrors.here.${kind}`) }];
    });
    if (byField.length > 0) return byField;
    // answers to questions that are not in this version: named, not linked (there is no input to go to)
    if (kind === 'unknown-question') {
      return error.fields.map((linkId) => ({ message: t('questionnaire.fieldErrors.unknown-question', { question: linkId }) }));
    }
  }
  return [{ message: codeMessage(error) ?? errorMessage(error) }];
}

/**
 * The draft being answered: the groups as fieldsets whose legends are headings, each question with its control;
 * conditional questions come and go as the answers change (announced politely); "Enregistrer le brouillon"
 * (PUT with the versionId read: a stale save reloads the latest version), "Finaliser" (confirmed first; the
 * questions still to answer are listed, each linked).
 */
export function QuestionnaireForm({
  questionnaire,
  response,
  onSaved,
  onFinalised,
}: {
  questionnaire: QuestionnaireView;
  response: QuestionnaireResponseView;
  onSaved: (text: string, ok?: boolean) => void;
  onFinalised: (response: QuestionnaireResponseView) => void;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [answers, setAnswers] = useState<Answers>(response.answers);
  const [versionId, setVersionId] = useState(response.versionId);
  const [updatedAt, setUpdatedAt] = useState(response.updatedAt);
  const [errors, setErrors] = useState<PlayerError[]>([]);
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const questions = useMemo(() => questionsOf(questionnaire), [questionnaire]);
  const enabled = useMemo(() => enabledQuestions(questionnaire, answers), [questionnaire, answers]);

  // conditional questions that appear or disappear are said in a polite live region
  const [change, setChange] = useState('');
  const previous = useRef(enabled);
  useEffect(() => {
    const before = previous.current;
    previous.current = enabled;
    const text = (ids: string[]) => ids.map((id) => questions.get(id)?.text ?? id).join(' ; ');
    const shown = [...enabled].filter((id) => !before.has(id));
    const hidden = [...before].filter((id) => !enabled.has(id));
    const parts = [
      ...(shown.length ? [t('questionnaire.form.shown', { count: shown.length, questions: text(shown) })] : []),
      ...(hidden.length ? [t('questionnaire.form.hidden', { count: hidden.length, questions: text(hidden) })] : []),
    ];
    if (parts.length) setChange(parts.join(' '));
  }, [enabled, questions, t]);

  const set = (linkId: string, value: Answers[string]) => {
    setAnswers((a) => ({ ...a, [linkId]: value }));
    // a question answered is no longer at fault
    const question = questions.get(linkId);
    if (question) setErrors((e) => e.filter((x) => x.field !== inputIdOf(question)));
  };

  /** Reloads the latest saved version (after a stale save): its answers replace the ones on screen. */
  const reload = async () => {
    const latest = await apiGet<QuestionnaireResponseView>(responsePath(response.id));
    await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
    if (latest.status === 'final') {
      onFinalised(latest);
      return;
    }
    setAnswers(latest.answers);
    setVersionId(latest.versionId);
    setUpdatedAt(latest.updatedAt);
  };

  /** Runs a request; on a refusal shows its errors (a stale save also reloads the latest version). */
  const attempt = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setPending(true);
    setErrors([]);
    try {
      return await action();
    } catch (error) {
      if (error instanceof ApiError && error.code === 'questionnaire.stale') {
        setErrors([{ message: t('questionnaire.form.stale') }]);
        await reload().catch(() => undefined);
      } else if (error instanceof ApiError && (error.code === 'questionnaire.final' || error.code === 'questionnaire.already-final')) {
        setErrors([{ message: codeMessage(error) ?? errorMessage(error) }]);
        await reload().catch(() => undefined);
      } else {
        setErrors(playerErrors(error, questions, t));
      }
      return undefined;
    } finally {
      setPending(false);
    }
  };

  const saveDraft = async (): Promise<QuestionnaireResponseView> => {
    const saved = await apiPut<QuestionnaireResponseView>(responsePath(response.id), { answers: answersToSend(questionnaire, answers), versionId });
    setVersionId(saved.versionId);
    setUpdatedAt(saved.updatedAt);
    return saved;
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const saved = await attempt(saveDraft);
    if (saved) {
      onSaved(t('questionnaire.form.saved'));
      await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
    }
  };

  const finalise = async () => {
    if (pending) return;
    setConfirming(false);
    const done = await attempt(async () => {
      const saved = await saveDraft();
      return apiPost<QuestionnaireResponseView>(responsePath(response.id, 'finalise'), { versionId: saved.versionId });
    });
    if (done) onFinalised(done); // first, so that the page keeps this response open while the list reloads
    await queryClient.invalidateQueries({ queryKey: [QUESTIONNAIRES_KEY] });
  };

  const errorAt = (question: QuestionView) => errors.find((e) => e.field === inputIdOf(question));

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby="qr-form-title" className="qr-form">
      <p className="meta">{updatedAt ? t('questionnaire.form.savedAt', { date: formatDateTime(updatedAt) }) : t('questionnaire.form.notSaved')}</p>
      <p>{t('questionnaire.requiredNote')}</p>
      <ErrorSummary errors={errors} />
      <div className="visually-hidden" aria-live="polite" aria-atomic="true">
        {change}
      </div>
      {questionnaire.groups.map((group) => {
        const asked = group.questions.filter((q) => enabled.has(q.linkId));
        if (asked.length === 0) return null;
        return (
          <fieldset key={group.linkId} className="qr-group">
            <legend>
              <h3 className="qr-group__title">{group.title}</h3>
            </legend>
            {asked.map((question) => {
              const error = errorAt(question);
              return <QuestionField key={question.linkId} question={question} value={answers[question.linkId]} onChange={(v) => set(question.linkId, v)} error={error?.here ?? error?.message} />;
            })}
          </fieldset>
        );
      })}
      <div className="button-group">
        <SubmitButton pending={pending}>{t('questionnaire.form.save')}</SubmitButton>
        <button id="qr-finalise" type="button" className="button button--secondary" aria-expanded={confirming} aria-disabled={pending || undefined} onClick={() => !pending && setConfirming(true)}>
          {t('questionnaire.form.finalise')}
        </button>
      </div>
      {confirming && (
        <ConfirmBox
          title={t('questionnaire.form.confirmTitle')}
          confirmLabel={t('questionnaire.form.confirm')}
          headingLevel="h3"
          variant="primary"
          pending={pending}
          onConfirm={() => void finalise()}
          onCancel={() => {
            setConfirming(false);
            document.getElementById('qr-finalise')?.focus();
          }}
        >
          <p>{t('questionnaire.form.confirmText')}</p>
        </ConfirmBox>
      )}
    </form>
  );
}
