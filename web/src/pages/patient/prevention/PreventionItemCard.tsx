import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useActing } from '../../../acting';
import { errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { formatCivilDate } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { PreventionItem, PreventionMark, PreventionMarkInput } from '../../../prevention-types';
import { isCivilDate } from '../../../time';
import { ageText, checkupBand, domId, formatWindow, isMarked, reasonText, statusText, useMarkItem, type CalendarNames } from './usePrevention';

/** The most characters a mark's comment holds (the server's limit, prevention.comment-too-long). */
const MARK_COMMENT_MAX = 500;

/** What a card tells its page once a mark is saved or removed (ok) or refused: the status line to announce. */
export type OnMarked = (text: string, ok: boolean) => void;

/** The id of an item's heading in a place (the page focuses it after a mark). */
export const cardTitleId = (place: string, code: string): string => `${place}-${domId(code)}-title`;

/** The day a year before a civil date ('2026-11-23' → '2025-11-23'; 29 February compares as the 28th would). */
const yearBefore = (date: string): string => `${String(Number(date.slice(0, 4)) - 1).padStart(4, '0')}${date.slice(4)}`;

/**
 * One prevention item: its title, status (in words), level, window, dose, diseases, certificate, the done or
 * planned date, the person's comment, the questionnaire of a key-age check-up, why it is listed, and the actions:
 * mark it (planned, done on a date, not done) or remove the mark. An overdue item leads with its catch-up
 * ("Rattrapage possible jusqu'au …", or "À rattraper" when there is no limit or it has passed); a vaccination
 * whose window closed more than a year ago shows that window after it, as when it was due ("Prévu à l'âge de
 * 12 mois : …"). A dose proven by a recorded vaccination is not marked here: it links to the vaccinations.
 * `place` keeps the ids unique when the item shows twice (the "next" block and the list).
 */
export function PreventionItemCard({
  item,
  place,
  calendars,
  asOf,
  duplicate = false,
  onMarked,
}: {
  item: PreventionItem;
  place: string;
  calendars: CalendarNames;
  /** The view's date (PreventionView.asOf): whether a catch-up limit has passed, whether a window is long past. */
  asOf: string;
  /** Another item of the list has the same title (screening rounds): its window tells them apart for screen readers. */
  duplicate?: boolean;
  onMarked: OnMarked;
}) {
  const { t } = useTranslation();
  const { isSelf } = useActing();
  const { unmark } = useMarkItem();
  const [marking, setMarking] = useState(false);
  const [removing, setRemoving] = useState(false);
  const base = `${place}-${domId(item.code)}`;
  const titleId = cardTitleId(place, item.code);
  const markId = `${base}-mark`;
  const marked = isMarked(item);
  const overdue = item.status === 'overdue';
  // an overdue item's catch-up has its own line (the reason would say it again)
  const reasons = item.reasons
    .filter((r) => !(overdue && r.code === 'catch-up-until'))
    .map((r) => reasonText(t, r, calendars))
    .filter(Boolean);
  const band = item.type === 'key-age-checkup' ? checkupBand(item) : undefined;
  const period = formatWindow(t, item.window);
  const name = duplicate ? `${item.title}, ${period}` : item.title;
  const recorded = item.evidence === 'vaccination';
  // a catch-up limit still to come is said; without one (catch-up-now), or once it has passed (a mandatory item
  // stays overdue), the item is simply to catch up
  const catchUp = !overdue
    ? undefined
    : item.catchUpUntil && item.catchUpUntil >= asOf
      ? t('prevention.item.catchUp', { date: formatCivilDate(item.catchUpUntil) })
      : t('prevention.item.catchUpNow');
  // a vaccination overdue for more than a year: the window is history, said after the catch-up
  const longPast = overdue && item.type === 'vaccination' && item.window.end < yearBefore(asOf);
  const from = item.reasons.find((r) => r.code === 'age-window')?.params?.from;
  const windowLine = longPast
    ? typeof from === 'string' && from !== 'P0D'
      ? t('prevention.item.plannedAtAge', { age: ageText(t, from), window: period })
      : t('prevention.item.plannedWindow', { window: period })
    : t('prevention.item.window', { window: period });

  const remove = async () => {
    if (removing) return;
    setRemoving(true);
    try {
      await unmark(item.code);
      onMarked(t('prevention.mark.removed', { title: item.title }), true);
    } catch (error) {
      onMarked(errorMessage(error), false);
    } finally {
      setRemoving(false);
    }
  };

  return (
    <article className={`prevention-item prevention-item--${item.status}`} aria-labelledby={titleId}>
      <h3 id={titleId} tabIndex={-1} className="prevention-item__title">
        {item.title}
        {duplicate && <span className="visually-hidden">, {period}</span>}
      </h3>
      <p className="prevention-item__badges">
        <span className={`prevention-status prevention-status--${item.status}`}>{t('prevention.item.status', { status: statusText(t, item) })}</span>{' '}
        <span className={`prevention-level prevention-level--${item.level}`}>{t(`prevention.levels.${item.level}`)}</span>
      </p>
      {catchUp && <p className="prevention-item__catch-up">{catchUp}</p>}
      <p className={longPast ? 'meta' : undefined}>{windowLine}</p>
      {item.dose && <p>{item.doseLabel ? t('prevention.item.doseLabel', { ...item.dose, label: item.doseLabel }) : t('prevention.item.dose', item.dose)}</p>}
      {item.diseases && item.diseases.length > 0 && <p>{t('prevention.item.diseases', { diseases: item.diseases.join(', ') })}</p>}
      {item.status === 'done' && item.doneOn && <p>{t('prevention.item.doneOn', { date: formatCivilDate(item.doneOn) })}</p>}
      {recorded && (
        <p>
          <Link to="/patient/profil/vaccinations">{t(isSelf ? 'prevention.item.recordedSelf' : 'prevention.item.recorded')}</Link>
        </p>
      )}
      {item.comment && <p className="prevention-item__comment">{t('prevention.item.comment', { comment: item.comment })}</p>}
      {item.certificate && <p>{t('prevention.item.certificate', { certificate: item.certificate })}</p>}
      {band && (
        <p>
          <Link to={`/patient/prevention/questionnaire/${band}`}>{t('prevention.links.questionnaire')}</Link>
        </p>
      )}
      {reasons.length > 0 && (
        <details className="prevention-item__reasons foldable">
          <summary>{t('prevention.item.reasons')}</summary>
          <ul>
            {reasons.map((r, i) => (
              <li key={i}>{r}</li>
            ))}
          </ul>
        </details>
      )}
      {(!recorded || marked) && (
        <div className="button-group button-group--compact">
          {!recorded && (
            <button
              id={markId}
              type="button"
              className="button button--secondary button--small"
              aria-expanded={marking}
              aria-controls={marking ? `${base}-form` : undefined}
              onClick={() => setMarking((m) => !m)}
            >
              {t('prevention.item.mark')}
              <span className="visually-hidden"> : {name}</span>
            </button>
          )}
          {marked && (
            <button type="button" className="button button--secondary button--small" aria-disabled={removing || undefined} onClick={() => void remove()}>
              {t('prevention.item.unmark')}
              <span className="visually-hidden"> : {name}</span>
            </button>
          )}
        </div>
      )}
      {marking && !recorded && (
        <MarkForm
          item={item}
          name={name}
          base={base}
          onCancel={() => {
            setMarking(false);
            window.setTimeout(() => document.getElementById(markId)?.focus(), 0);
          }}
          onDone={(text) => {
            setMarking(false);
            onMarked(text, true);
          }}
        />
      )}
    </article>
  );
}

/**
 * The form of a mark: planned (an optional date), done (a date, required), not done, with an optional comment
 * (at most 500 characters; the current one to start with). Its heading takes the focus.
 */
function MarkForm({ item, name, base, onDone, onCancel }: { item: PreventionItem; name: string; base: string; onDone: (text: string) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const { mark: send } = useMarkItem();
  const opened = item.status === 'due' || item.status === 'overdue';
  const [mark, setMark] = useState<PreventionMark>(item.status === 'done' ? 'done' : opened ? 'done' : 'planned');
  const [date, setDate] = useState(item.status === 'done' ? (item.doneOn ?? '') : (item.planned?.on ?? ''));
  const [comment, setComment] = useState(item.comment ?? '');
  const dateId = `${base}-date`;
  const commentId = `${base}-comment`;
  const inputOfField = useCallback(
    (field: string) => (field === 'date' ? dateId : field === 'comment' ? commentId : field === 'mark' ? `${base}-mark-planned` : undefined),
    [base, dateId, commentId],
  );
  const inputOfCode = useCallback((code: string) => (code.startsWith('prevention.date') ? dateId : code.startsWith('prevention.comment') ? commentId : undefined), [dateId, commentId]);
  const form = useSubmit(inputOfCode, inputOfField);
  const heading = useRef<HTMLHeadingElement>(null);
  const headingId = useId();
  useEffect(() => heading.current?.focus(), []);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    const trimmed = date.trim();
    if (mark === 'done' && !trimmed) errors.push({ field: dateId, message: t('prevention.mark.errors.dateRequired') });
    else if (mark !== 'not-done' && trimmed && !isCivilDate(trimmed)) errors.push({ field: dateId, message: t('prevention.mark.errors.date') });
    const note = comment.trim();
    const input: PreventionMarkInput = { mark, ...(mark !== 'not-done' && trimmed ? { date: trimmed } : {}), ...(note ? { comment: note } : {}) };
    const ok = await form.run(errors, () => send(item.code, input));
    if (!ok) return;
    const key = mark === 'planned' && input.date ? 'plannedOn' : mark;
    onDone(t(`prevention.mark.saved.${key}`, { title: item.title, date: input.date ? formatCivilDate(input.date) : '' }));
  };

  return (
    <form id={`${base}-form`} noValidate onSubmit={onSubmit} aria-labelledby={headingId} className="prevention-mark subform">
      <h4 id={headingId} ref={heading} tabIndex={-1}>
        {t('prevention.mark.title', { title: name })}
      </h4>
      <ErrorSummary errors={form.errors} />
      <fieldset className="radio-row">
        <legend>{t('prevention.mark.legend')}</legend>
        {(['planned', 'done', 'not-done'] as const).map((m) => (
          <div key={m} className="radio-row__item">
            <input
              id={`${base}-mark-${m}`}
              type="radio"
              name={`${base}-mark`}
              value={m}
              checked={mark === m}
              onChange={() => {
                setMark(m);
                form.reset();
              }}
            />
            <label htmlFor={`${base}-mark-${m}`}>{t(`prevention.mark.options.${m}`)}</label>
          </div>
        ))}
      </fieldset>
      {mark !== 'not-done' && (
        <TextField
          id={dateId}
          type="date"
          label={t(mark === 'done' ? 'prevention.mark.dateDone' : 'prevention.mark.datePlanned')}
          hint={t(mark === 'done' ? 'prevention.mark.dateDoneHint' : 'prevention.mark.dateHint')}
          value={date}
          required={mark === 'done'}
          onChange={(e) => setDate(e.target.value)}
          error={form.errorFor(dateId)}
        />
      )}
      <TextAreaField
        id={commentId}
        label={t('prevention.mark.comment')}
        hint={t('prevention.mark.commentHint', { max: MARK_COMMENT_MAX })}
        value={comment}
        maxLength={MARK_COMMENT_MAX}
        onChange={(e) => setComment(e.target.value)}
        error={form.errorFor(commentId)}
      />
      <div className="button-group button-group--compact">
        <SubmitButton pending={form.pending}>{t('prevention.mark.submit')}</SubmitButton>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
