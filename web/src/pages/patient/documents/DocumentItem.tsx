import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useActing } from '../../../acting';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { isoOrUndefined } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { Disclosure } from '../professionals/Disclosure';
import { categoryLabel, documentDate, formatDocumentDate, parisDate } from './labels';
import { CATEGORIES, type DocumentView, type Folder } from './types';

/** What the person asks of one document; the page sends it and says how it went. */
export type DocumentAction =
  | { kind: 'hide'; on: boolean }
  | { kind: 'hideRepresentatives'; on: boolean }
  | { kind: 'pin'; on: boolean }
  | { kind: 'move'; folderId: string | null }
  | { kind: 'edit'; title: string; category: string; date: string }
  | { kind: 'delete' };

/** Runs an action; resolves to true when it succeeded, throws the API error otherwise when `raise` is set. */
export type RunDocumentAction = (doc: DocumentView, action: DocumentAction, opts?: { raise?: boolean }) => Promise<boolean>;

/** The ids of a document's elements in one place of the page (a pinned document is shown twice). */
export const docElementId = (place: string, doc: Pick<DocumentView, 'id'>, part: string): string => `${place}-${doc.id}-${part}`;

/** One document: title, category, date, author, badges, and what the person can do with it. */
export function DocumentItem({
  doc,
  place,
  folders,
  selected,
  onSelect,
  onView,
  run,
  pending,
}: {
  doc: DocumentView;
  place: string;
  folders: Folder[];
  selected: boolean;
  onSelect: (on: boolean) => void;
  onView: (opener: string) => void;
  run: RunDocumentAction;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const { isSelf } = useActing();
  const [confirmDelete, setConfirmDelete] = useState(false);
  const own = doc.depositor === 'patient';
  const id = (part: string) => docElementId(place, doc, part);
  const folder = folders.find((f) => f.id === doc.folderId);
  const badges = doc.pinned || own || doc.hiddenFromProfessionals || doc.hiddenFromRepresentatives || Boolean(folder);
  const hidden = <span className="visually-hidden"> : {doc.title}</span>;

  return (
    <li className="card doc">
      <article aria-labelledby={id('title')}>
        {own && (
          <CheckboxField
            id={id('select')}
            label={
              <>
                {t('dmp.list.select')}
                {hidden}
              </>
            }
            checked={selected}
            onChange={(e) => onSelect(e.target.checked)}
          />
        )}
        <h4 id={id('title')} className="doc__title" tabIndex={-1}>
          {doc.title}
        </h4>
        <p className="meta">
          {categoryLabel(t, doc.category)}
          {' · '}
          <time dateTime={isoOrUndefined(documentDate(doc))}>{formatDocumentDate(doc)}</time>
          {doc.author && (
            <>
              {' · '}
              {t('dmp.list.author', { author: doc.author })}
            </>
          )}
        </p>
        {badges && (
        <ul className="doc__badges" aria-label={t('dmp.list.badgesLabel')}>
          {doc.pinned && <li className="badge badge--outline">{t('dmp.badges.pinned')}</li>}
          {own && <li className="badge badge--outline">{t('dmp.badges.own')}</li>}
          {doc.hiddenFromProfessionals && <li className="badge badge--warning">{t('dmp.badges.hiddenFromProfessionals')}</li>}
          {doc.hiddenFromRepresentatives && <li className="badge badge--warning">{t('dmp.badges.hiddenFromRepresentatives')}</li>}
          {folder && <li className="badge badge--outline">{t('dmp.badges.folder', { name: folder.name })}</li>}
        </ul>
        )}
        <div className="button-group button-group--compact">
          <button id={id('view')} type="button" className="button button--primary button--small" onClick={() => onView(id('view'))}>
            {t('dmp.list.view')}
            {hidden}
          </button>
          <button
            id={id('pin')}
            type="button"
            className="button button--secondary button--small"
            aria-disabled={pending || undefined}
            onClick={() => void run(doc, { kind: 'pin', on: !doc.pinned })}
          >
            {doc.pinned ? t('dmp.list.unpin') : t('dmp.list.pin')}
            {hidden}
          </button>
        </div>
        <Disclosure
          label={
            <>
              {t('dmp.manage.show')}
              {hidden}
            </>
          }
        >
          {() => (
            <div className="doc__manage">
              <h5 className="doc__subtitle">{t('dmp.manage.visibilityTitle')}</h5>
              <p id={id('hide-hint')} className="hint">
                {t('dmp.manage.hideExplanation')}
              </p>
              <button
                id={id('hide')}
                type="button"
                className="button button--secondary button--small"
                aria-describedby={id('hide-hint')}
                aria-disabled={pending || undefined}
                onClick={() => void run(doc, { kind: 'hide', on: !doc.hiddenFromProfessionals })}
              >
                {doc.hiddenFromProfessionals ? t('dmp.manage.unhide') : t('dmp.manage.hide')}
                {hidden}
              </button>
              {isSelf ? (
                <>
                  <p id={id('reps-hint')} className="hint">
                    {t('dmp.manage.hideRepresentativesExplanation')}
                  </p>
                  <button
                    id={id('reps')}
                    type="button"
                    className="button button--secondary button--small"
                    aria-describedby={id('reps-hint')}
                    aria-disabled={pending || undefined}
                    onClick={() => void run(doc, { kind: 'hideRepresentatives', on: !doc.hiddenFromRepresentatives })}
                  >
                    {doc.hiddenFromRepresentatives ? t('dmp.manage.unhideRepresentatives') : t('dmp.manage.hideRepresentatives')}
                    {hidden}
                  </button>
                </>
              ) : (
                <p className="hint">{t('dmp.manage.representativesNotYours')}</p>
              )}

              <MoveToFolder doc={doc} place={place} folders={folders} run={run} pending={pending} />

              {own ? (
                <>
                  <EditDocument doc={doc} place={place} run={run} />
                  <h5 className="doc__subtitle">{t('dmp.manage.deleteTitle')}</h5>
                  <button
                    id={id('delete')}
                    type="button"
                    className="button button--danger button--small"
                    aria-expanded={confirmDelete}
                    onClick={() => setConfirmDelete(true)}
                  >
                    {t('dmp.manage.delete')}
                    {hidden}
                  </button>
                  {confirmDelete && (
                    <ConfirmBox
                      title={t('dmp.manage.deleteConfirmTitle', { title: doc.title })}
                      confirmLabel={t('dmp.manage.deleteConfirm')}
                      headingLevel="h4"
                      pending={pending}
                      onConfirm={() => void run(doc, { kind: 'delete' })}
                      onCancel={() => {
                        setConfirmDelete(false);
                        document.getElementById(id('delete'))?.focus();
                      }}
                    >
                      <p>{t('dmp.manage.deleteText')}</p>
                    </ConfirmBox>
                  )}
                </>
              ) : (
                <p className="note">{t('dmp.manage.notOwn')}</p>
              )}
            </div>
          )}
        </Disclosure>
      </article>
    </li>
  );
}

function MoveToFolder({
  doc,
  place,
  folders,
  run,
  pending,
}: {
  doc: DocumentView;
  place: string;
  folders: Folder[];
  run: RunDocumentAction;
  pending: boolean;
}) {
  const { t } = useTranslation();
  const [folderId, setFolderId] = useState(doc.folderId ?? '');
  const selectId = docElementId(place, doc, 'folder');
  if (folders.length === 0) return <p className="hint">{t('dmp.manage.noFolders')}</p>;
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!pending) void run(doc, { kind: 'move', folderId: folderId || null });
      }}
    >
      <Field
        id={selectId}
        label={t('dmp.manage.folder')}
        control={(aria) => (
          <select id={selectId} {...aria} value={folderId} onChange={(e) => setFolderId(e.target.value)}>
            <option value="">{t('dmp.manage.noFolder')}</option>
            {folders.map((f) => (
              <option key={f.id} value={f.id}>
                {f.name}
              </option>
            ))}
          </select>
        )}
      />
      <SubmitButton pending={pending} variant="secondary">
        {t('dmp.manage.move')}
        <span className="visually-hidden"> : {doc.title}</span>
      </SubmitButton>
    </form>
  );
}

const EDIT_FIELDS: Record<string, string> = { 'upload.title': 'title', 'documents.category': 'category', 'request.date': 'date' };

/** Title, category and date of the patient's own upload. */
function EditDocument({ doc, place, run }: { doc: DocumentView; place: string; run: RunDocumentAction }) {
  const { t } = useTranslation();
  const id = (part: string) => docElementId(place, doc, `edit-${part}`);
  const [title, setTitle] = useState(doc.title);
  const [category, setCategory] = useState<string>(doc.category);
  const [date, setDate] = useState(parisDate(doc.date));
  const form = useSubmit((code) => (EDIT_FIELDS[code] ? id(EDIT_FIELDS[code]) : undefined));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!title.trim()) errors.push({ field: id('title'), message: t('dmp.upload.errors.titleRequired') });
    else if (title.trim().length > 200) errors.push({ field: id('title'), message: t('dmp.upload.errors.titleTooLong') });
    if (date && !/^\d{4}-\d{2}-\d{2}$/.test(date)) errors.push({ field: id('date'), message: t('dmp.upload.errors.date') });
    await form.run(errors, async () => {
      await run(doc, { kind: 'edit', title: title.trim(), category, date }, { raise: true });
    });
  };

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby={id('heading')}>
      <h5 id={id('heading')} className="doc__subtitle">
        {t('dmp.manage.editTitle')}
      </h5>
      <ErrorSummary errors={form.errors} />
      <TextField
        id={id('title')}
        label={t('dmp.upload.title')}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
        error={form.errorFor(id('title'))}
        maxLength={200}
        autoComplete="off"
      />
      <Field
        id={id('category')}
        label={t('dmp.upload.category')}
        error={form.errorFor(id('category'))}
        control={(aria) => (
          <select id={id('category')} {...aria} value={category} onChange={(e) => setCategory(e.target.value)}>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(t, c)}
              </option>
            ))}
          </select>
        )}
      />
      <TextField
        id={id('date')}
        type="date"
        label={t('dmp.upload.date')}
        value={date}
        onChange={(e) => setDate(e.target.value)}
        error={form.errorFor(id('date'))}
      />
      <SubmitButton pending={form.pending} variant="secondary">
        {t('dmp.manage.save')}
        <span className="visually-hidden"> : {doc.title}</span>
      </SubmitButton>
    </form>
  );
}
