import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { TableScroller } from '../../../components/TableScroller';
import { formatDate, isoOrUndefined } from '../../../format';
import { ConfirmBox } from '../../patient/professionals/ConfirmBox';
import { PRO_KEY } from '../usePro';
import { DepositForm } from './DepositForm';
import { DocumentViewer } from './DocumentViewer';
import { categoryLabel, isOwnDocument, statusLabel } from './labels';
import { CATEGORIES, type Category, type DocumentView } from './types';
import { deleteDocument, documentsKey, updateDocument, useProDocuments } from './useDmpPro';

/** Focuses an element by id after React has rendered (a button back after a dialog, a heading). */
const focusLater = (id: string, fallback?: string) =>
  window.setTimeout(() => (document.getElementById(id) ?? (fallback ? document.getElementById(fallback) : null))?.focus(), 0);

type Work = { kind: 'replace' | 'delete'; doc: DocumentView; from: string };

/**
 * The patient's documents the professional may see, and what they do with them: the list (category filter,
 * archived and replaced ones on demand), the viewer, and for the documents they deposited themselves:
 * replace, make visible to the patient, archive, delete. Then the deposit of a new document.
 */
export function ProDocuments({ patientId, practitionerId }: { patientId: string; practitionerId: string | undefined }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [all, setAll] = useState(false);
  const [category, setCategory] = useState<Category | ''>('');
  const documents = useProDocuments(patientId, true, all);
  const [viewing, setViewing] = useState<{ doc: DocumentView; from: string } | null>(null);
  const [work, setWork] = useState<Work | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [message, setMessage] = useState('');

  const refresh = () => queryClient.invalidateQueries({ queryKey: documentsKey(patientId) });
  const announce = (text: string) => {
    setMessage('');
    window.setTimeout(() => setMessage(text), 50);
  };

  const act = async (doc: DocumentView, key: string, action: () => Promise<unknown>, done: string) => {
    if (busy) return;
    setBusy(key);
    setActionError(null);
    try {
      await action();
      await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'activity'] })]);
      announce(done);
      return true;
    } catch (e) {
      setActionError(t('dmpPro.list.actionFailed', { title: doc.title, message: errorMessage(e) }));
      return false;
    } finally {
      setBusy(null);
    }
  };

  const list = documents.data?.documents ?? [];
  const shown = category ? list.filter((d) => d.category === category) : list;
  const counts = Object.fromEntries(CATEGORIES.map((c) => [c, list.filter((d) => d.category === c).length])) as Record<Category, number>;

  return (
    <>
      <section aria-labelledby="documents-title" className="panel">
        <h2 id="documents-title" tabIndex={-1}>
          {t('dmpPro.list.title')}
        </h2>
        <p className="meta">{t('dmpPro.list.intro')}</p>
        {(list.length > 0 || all) && (
          <div className="inline-controls" style={{ flexWrap: 'wrap', alignItems: 'flex-end', gap: '0.5rem 1.5rem' }}>
            <div className="field" style={{ marginBottom: '0.5rem' }}>
              <label htmlFor="documents-category">{t('dmpPro.list.category')}</label>
              <select
                id="documents-category"
                value={category}
                onChange={(e) => {
                  const next = e.target.value as Category | '';
                  setCategory(next);
                  const count = next ? list.filter((d) => d.category === next).length : list.length;
                  announce(t('dmpPro.list.shown', { count }));
                }}
              >
                <option value="">{t('dmpPro.list.allCategories', { count: list.length })}</option>
                {CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {t('dmpPro.list.categoryOption', { label: categoryLabel(t, c), count: counts[c] })}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field--checkbox" style={{ marginBottom: '0.5rem' }}>
              <div className="checkbox">
                <input id="documents-all" type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} />
                <label htmlFor="documents-all">{t('dmpPro.list.showAll')}</label>
              </div>
            </div>
          </div>
        )}
        <StatusMessage>{message}</StatusMessage>
        {actionError && (
          <p className="alert alert--error" role="alert">
            {actionError}
          </p>
        )}
        {documents.isPending ? (
          <Loading />
        ) : documents.isError ? (
          <QueryError error={documents.error} />
        ) : list.length === 0 ? (
          <p>{t('dmpPro.list.empty')}</p>
        ) : shown.length === 0 ? (
          <p>{t('dmpPro.list.emptyCategory')}</p>
        ) : (
          <TableScroller label={t('dmpPro.list.caption')}>
            <table>
              <caption>{t('dmpPro.list.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('dmpPro.list.document')}</th>
                  <th scope="col">{t('dmpPro.list.date')}</th>
                  <th scope="col">{t('dmpPro.list.author')}</th>
                  <th scope="col">{t('dmpPro.list.status')}</th>
                  <th scope="col">{t('dmpPro.list.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((d) => {
                  const own = isOwnDocument(d, practitionerId);
                  const when = d.date ?? d.depositedAt;
                  const idOf = (action: string) => `doc-${action}-${d.id}`;
                  return (
                    <tr key={d.id}>
                      <td>
                        <strong>{d.title}</strong>
                        <br />
                        <span className="meta">
                          {[d.typeLabel && d.typeLabel !== d.title ? d.typeLabel : null, categoryLabel(t, d.category)].filter(Boolean).join(' · ')}
                        </span>
                        {(d.hiddenFromPatient || d.hiddenFromProfessionals || own) && (
                          <span style={{ display: 'flex', flexWrap: 'wrap', gap: '0.25rem', marginTop: '0.25rem' }}>
                            {d.hiddenFromPatient && <span className="badge">{t('dmpPro.list.badges.invisiblePatient')}</span>}
                            {d.hiddenFromProfessionals && <span className="badge">{t('dmpPro.list.badges.masked')}</span>}
                            {own && (
                              <span className="badge" style={{ background: 'var(--success)' }}>
                                {t('dmpPro.list.badges.own')}
                              </span>
                            )}
                          </span>
                        )}
                      </td>
                      <td>{when ? <time dateTime={isoOrUndefined(when)}>{formatDate(when)}</time> : '—'}</td>
                      <td>{d.author || t('dmpPro.list.unknownAuthor')}</td>
                      <td>{statusLabel(t, d)}</td>
                      <td>
                        <div className="button-group button-group--compact" style={{ margin: 0 }}>
                          <button
                            id={idOf('view')}
                            type="button"
                            className="button button--primary button--small"
                            onClick={() => setViewing({ doc: d, from: idOf('view') })}
                            aria-label={`${t('dmpPro.list.view')} : ${d.title}`}
                          >
                            {t('dmpPro.list.view')}
                          </button>
                          {own && d.status === 'current' && !d.archived && (
                            <button
                              id={idOf('replace')}
                              type="button"
                              className="button button--secondary button--small"
                              aria-expanded={work?.kind === 'replace' && work.doc.id === d.id}
                              onClick={() => setWork({ kind: 'replace', doc: d, from: idOf('replace') })}
                              aria-label={`${t('dmpPro.list.replace')} : ${d.title}`}
                            >
                              {t('dmpPro.list.replace')}
                            </button>
                          )}
                          {own && d.hiddenFromPatient && (
                            <button
                              id={idOf('show')}
                              type="button"
                              className="button button--secondary button--small"
                              aria-disabled={busy === idOf('show') || undefined}
                              onClick={() =>
                                void act(d, idOf('show'), () => updateDocument(patientId, d.id, { hiddenFromPatient: false }), t('dmpPro.list.madeVisible', { title: d.title }))
                              }
                              aria-label={`${t('dmpPro.list.makeVisible')} : ${d.title}`}
                            >
                              {t('dmpPro.list.makeVisible')}
                            </button>
                          )}
                          {own && (
                            <button
                              id={idOf('archive')}
                              type="button"
                              className="button button--secondary button--small"
                              aria-disabled={busy === idOf('archive') || undefined}
                              onClick={() =>
                                void act(
                                  d,
                                  idOf('archive'),
                                  () => updateDocument(patientId, d.id, { archived: !d.archived }),
                                  t(d.archived ? 'dmpPro.list.unarchived' : 'dmpPro.list.archived', { title: d.title }),
                                ).then((ok) => ok && focusLater(idOf('archive'), 'documents-title'))
                              }
                              aria-label={`${t(d.archived ? 'dmpPro.list.unarchive' : 'dmpPro.list.archive')} : ${d.title}`}
                            >
                              {t(d.archived ? 'dmpPro.list.unarchive' : 'dmpPro.list.archive')}
                            </button>
                          )}
                          {own && (
                            <button
                              id={idOf('delete')}
                              type="button"
                              className="button button--danger button--small"
                              aria-expanded={work?.kind === 'delete' && work.doc.id === d.id}
                              onClick={() => setWork({ kind: 'delete', doc: d, from: idOf('delete') })}
                              aria-label={`${t('dmpPro.list.delete')} : ${d.title}`}
                            >
                              {t('dmpPro.list.delete')}
                            </button>
                          )}
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroller>
        )}
        {work?.kind === 'delete' && (
          <ConfirmBox
            key={`delete-${work.doc.id}`}
            title={t('dmpPro.delete.title', { title: work.doc.title })}
            confirmLabel={t('dmpPro.delete.confirm')}
            headingLevel="h3"
            pending={busy === 'delete'}
            onConfirm={() =>
              void act(work.doc, 'delete', () => deleteDocument(patientId, work.doc.id), t('dmpPro.delete.done', { title: work.doc.title })).then((ok) => {
                if (ok) {
                  setWork(null);
                  focusLater('documents-title');
                }
              })
            }
            onCancel={() => {
              const from = work.from;
              setWork(null);
              focusLater(from);
            }}
          >
            <p>{t('dmpPro.delete.text')}</p>
          </ConfirmBox>
        )}
        {work?.kind === 'replace' && (
          <div className="subform" key={`replace-${work.doc.id}`}>
            <ReplaceHeading id={`replace-${work.doc.id}-form-title`} title={t('dmpPro.replace.title', { title: work.doc.title })} />
            <p>{t('dmpPro.replace.intro')}</p>
            <DepositForm
              patientId={patientId}
              replacing={work.doc}
              labelledBy={`replace-${work.doc.id}-form-title`}
              onDone={(title) => {
                setWork(null);
                void refresh();
                announce(t('dmpPro.replace.done', { title }));
                focusLater('documents-title');
              }}
              onCancel={() => {
                const from = work.from;
                setWork(null);
                focusLater(from);
              }}
            />
          </div>
        )}
      </section>
      {viewing && (
        <DocumentViewer
          patientId={patientId}
          document={viewing.doc}
          onClose={() => {
            const from = viewing.from;
            setViewing(null);
            focusLater(from);
          }}
        />
      )}
      <section aria-labelledby="deposit-form-title" className="panel">
        <h2 id="deposit-form-title">{t('dmpPro.deposit.heading')}</h2>
        <p>{t('dmpPro.deposit.intro')}</p>
        <DepositForm
          patientId={patientId}
          labelledBy="deposit-form-title"
          onDone={(title) => {
            void refresh();
            void queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'activity'] });
            announce(t('dmpPro.deposit.done', { title }));
            focusLater('documents-title');
          }}
        />
      </section>
    </>
  );
}

/** The replacement form's heading, focused when the form opens. */
function ReplaceHeading({ id, title }: { id: string; title: string }) {
  return (
    <h3
      id={id}
      tabIndex={-1}
      ref={(el) => {
        if (el && document.activeElement?.id?.startsWith('doc-replace-')) el.focus();
      }}
    >
      {title}
    </h3>
  );
}
