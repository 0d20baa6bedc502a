import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDelete, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { DmpSettings } from './DmpSettings';
import { DocumentItem, type DocumentAction, type RunDocumentAction } from './DocumentItem';
import { DocumentViewer } from './DocumentViewer';
import { Folders } from './Folders';
import { categoryLabel, parisDate } from './labels';
import { CATEGORIES, type DocumentFilters, type DocumentView, type Folder } from './types';
import { UploadForm } from './UploadForm';
import { DOCUMENTS_KEY, patchDocument, useDocuments } from './useDocuments';
import './documents.css';

/** At most 10 documents per deletion (domain.md §2.7). */
const BULK_MAX = 10;

/**
 * /patient/documents, "Mes documents": the documents of the acting profile by category with their counts,
 * filters (author, period, folder), pinned documents first; viewing in the browser; adding a document; hiding
 * from professionals (and from the legal representatives, for one's own profile); editing and deleting one's
 * own uploads; folders and pins; the settings of the record (hide by default, emergency consents).
 */
export function DocumentsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [filters, setFilters] = useState<DocumentFilters>({});
  const [folderId, setFolderId] = useState('');
  const documents = useDocuments(filters);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [confirmBulk, setConfirmBulk] = useState(false);
  const [viewing, setViewing] = useState<{ doc: DocumentView; opener: string } | null>(null);

  const all = documents.data?.documents ?? [];
  const folders = documents.data?.folders ?? [];
  const counts = documents.data?.counts;
  const shown = folderId ? all.filter((d) => d.folderId === folderId) : all;
  const pinned = shown.filter((d) => d.pinned);

  // a selection holds only documents still listed
  useEffect(() => {
    if (!documents.data) return;
    const ids = new Set(documents.data.documents.filter((d) => d.depositor === 'patient').map((d) => d.id));
    setSelected((s) => (Array.from(s).every((id) => ids.has(id)) ? s : new Set(Array.from(s).filter((id) => ids.has(id)))));
  }, [documents.data]);

  // a folder deleted meanwhile is no longer a filter
  useEffect(() => {
    if (folderId && documents.data && !documents.data.folders.some((f) => f.id === folderId)) setFolderId('');
  }, [documents.data, folderId]);

  const refresh = () => queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY] });

  const run: RunDocumentAction = async (doc, action, opts) => {
    if (pending && !opts?.raise) return false;
    setStatus(null);
    setPending(true);
    try {
      setStatus({ ok: true, text: await perform(doc, action) });
      return true;
    } catch (error) {
      if (opts?.raise) throw error;
      setStatus({ ok: false, text: errorMessage(error) });
      return false;
    } finally {
      setPending(false);
      await refresh();
      if (action.kind === 'delete') document.getElementById('documents-list-title')?.focus();
    }
  };

  const perform = async (doc: DocumentView, action: DocumentAction): Promise<string> => {
    const title = doc.title;
    switch (action.kind) {
      case 'hide':
        await patchDocument(doc.id, { hiddenFromProfessionals: action.on });
        return t(action.on ? 'dmp.done.hidden' : 'dmp.done.unhidden', { title });
      case 'hideRepresentatives':
        await patchDocument(doc.id, { hiddenFromRepresentatives: action.on });
        return t(action.on ? 'dmp.done.hiddenRepresentatives' : 'dmp.done.unhiddenRepresentatives', { title });
      case 'pin':
        await patchDocument(doc.id, { pinned: action.on });
        return t(action.on ? 'dmp.done.pinned' : 'dmp.done.unpinned', { title });
      case 'move': {
        await patchDocument(doc.id, { folderId: action.folderId });
        const folder = folders.find((f) => f.id === action.folderId);
        return folder ? t('dmp.done.moved', { title, folder: folder.name }) : t('dmp.done.movedOut', { title });
      }
      case 'edit': {
        const change: Record<string, string> = {};
        if (action.title !== doc.title) change.title = action.title;
        if (action.category !== doc.category) change.category = action.category;
        if (action.date && action.date !== parisDate(doc.date)) change.date = action.date;
        if (Object.keys(change).length === 0) return t('dmp.done.unchanged');
        await patchDocument(doc.id, change);
        return t('dmp.done.edited', { title: action.title });
      }
      case 'delete':
        await apiDelete(`/api/documents?ids=${encodeURIComponent(doc.id)}`);
        return t('dmp.done.deleted', { title });
    }
  };

  const deleteSelected = async () => {
    if (pending) return;
    const ids = Array.from(selected);
    setStatus(null);
    setPending(true);
    try {
      await apiDelete(`/api/documents?ids=${ids.map(encodeURIComponent).join(',')}`);
      setSelected(new Set());
      setConfirmBulk(false);
      setStatus({ ok: true, text: t('dmp.bulk.done', { count: ids.length }) });
    } catch (error) {
      setStatus({ ok: false, text: errorMessage(error) });
    } finally {
      setPending(false);
      await refresh();
      document.getElementById('documents-list-title')?.focus();
    }
  };

  const select = (id: string, on: boolean) =>
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const closeViewer = () => {
    const opener = viewing?.opener;
    setViewing(null);
    if (opener) window.setTimeout(() => document.getElementById(opener)?.focus(), 0);
  };

  const item = (doc: DocumentView, place: string) => (
    <DocumentItem
      key={`${place}-${doc.id}`}
      doc={doc}
      place={place}
      folders={folders}
      selected={selected.has(doc.id)}
      onSelect={(on) => select(doc.id, on)}
      onView={(opener) => setViewing({ doc, opener })}
      run={run}
      pending={pending}
    />
  );

  const groups = CATEGORIES.map((c) => ({ category: c, docs: shown.filter((d) => d.category === c) })).filter((g) => g.docs.length > 0);
  const total = counts ? CATEGORIES.reduce((n, c) => n + (counts[c] ?? 0), 0) : 0;
  const filtered = Boolean(filters.category || filters.author || filters.from || filters.to || folderId);

  return (
    <>
      <PageHeading title={t('dmp.title')} />
      <p>{t('dmp.intro')}</p>
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>

      {counts && (
        <nav aria-label={t('dmp.categoriesNav')} className="doc-categories">
          <ul>
            <li>
              <button
                type="button"
                className="button button--secondary button--small"
                aria-pressed={!filters.category}
                onClick={() => setFilters(({ category: _omit, ...rest }) => rest)}
              >
                {t('dmp.allCategories', { count: total })}
              </button>
            </li>
            {CATEGORIES.map((c) => (
              <li key={c}>
                <button
                  type="button"
                  className="button button--secondary button--small"
                  aria-pressed={filters.category === c}
                  onClick={() => setFilters((f) => ({ ...f, category: c }))}
                >
                  {t('dmp.categoryWithCount', { label: categoryLabel(t, c), count: counts[c] ?? 0 })}
                </button>
              </li>
            ))}
          </ul>
        </nav>
      )}

      <DocumentFiltersForm
        applied={filters}
        folderId={folderId}
        folders={folders}
        onApply={(f, folder) => {
          setFilters((current) => ({ ...(current.category ? { category: current.category } : {}), ...f }));
          setFolderId(folder);
        }}
        onClear={() => {
          setFilters({});
          setFolderId('');
        }}
      />

      {documents.isPending ? (
        <Loading />
      ) : documents.isError ? (
        <QueryError error={documents.error} />
      ) : (
        <>
          {pinned.length > 0 && (
            <section aria-labelledby="documents-pinned-title" className="panel">
              <h2 id="documents-pinned-title">{t('dmp.pinnedTitle')}</h2>
              <ul className="plain-list">{pinned.map((d) => item(d, 'pinned'))}</ul>
            </section>
          )}

          <section aria-labelledby="documents-list-title" className="panel">
            <h2 id="documents-list-title" tabIndex={-1}>
              {filters.category ? categoryLabel(t, filters.category) : t('dmp.listTitle')}
            </h2>
            <p className="meta" aria-live="polite">
              {documents.isFetching && documents.isPlaceholderData
                ? t('common.loading')
                : t(filtered ? 'dmp.shownFiltered' : 'dmp.shown', { count: shown.length })}
            </p>
            <p className="hint">{t('dmp.bulk.explanation')}</p>
            {selected.size > 0 && (
              <div className="doc-selection">
                <p>
                  <strong>{t('dmp.bulk.selected', { count: selected.size })}</strong>
                </p>
                {selected.size > BULK_MAX && (
                  <p className="text-error" role="alert">
                    {t('dmp.bulk.tooMany', { max: BULK_MAX })}
                  </p>
                )}
                <div className="button-group button-group--compact">
                  <button
                    id="documents-bulk-delete"
                    type="button"
                    className="button button--danger button--small"
                    aria-disabled={selected.size > BULK_MAX || undefined}
                    aria-expanded={confirmBulk}
                    onClick={() => {
                      if (selected.size <= BULK_MAX) setConfirmBulk(true);
                    }}
                  >
                    {t('dmp.bulk.delete', { count: selected.size })}
                  </button>
                  <button type="button" className="button button--secondary button--small" onClick={() => setSelected(new Set())}>
                    {t('dmp.bulk.clear')}
                  </button>
                </div>
                {confirmBulk && selected.size <= BULK_MAX && (
                  <ConfirmBox
                    title={t('dmp.bulk.confirmTitle', { count: selected.size })}
                    confirmLabel={t('dmp.bulk.confirm')}
                    headingLevel="h3"
                    pending={pending}
                    onConfirm={() => void deleteSelected()}
                    onCancel={() => {
                      setConfirmBulk(false);
                      document.getElementById('documents-bulk-delete')?.focus();
                    }}
                  >
                    <ul>
                      {all
                        .filter((d) => selected.has(d.id))
                        .map((d) => (
                          <li key={d.id}>{d.title}</li>
                        ))}
                    </ul>
                    <p>{t('dmp.bulk.confirmText')}</p>
                  </ConfirmBox>
                )}
              </div>
            )}
            {shown.length === 0 ? (
              <p>{filtered ? t('dmp.emptyFiltered') : t('dmp.empty')}</p>
            ) : (
              groups.map((g) => (
                <section key={g.category} aria-labelledby={`documents-group-${g.category}`} className="doc-group">
                  <h3 id={`documents-group-${g.category}`}>
                    {categoryLabel(t, g.category)}{' '}
                    <span className="meta">({t('dmp.documentCount', { count: g.docs.length })})</span>
                  </h3>
                  <ul className="plain-list">{g.docs.map((d) => item(d, 'list'))}</ul>
                </section>
              ))
            )}
          </section>
        </>
      )}

      {viewing && <DocumentViewer doc={viewing.doc} onClose={closeViewer} />}

      <UploadForm />
      <Folders folders={folders} documents={all} />
      <DmpSettings />
    </>
  );
}

/** Filters by author and period (sent to the API) and by folder (applied here). */
function DocumentFiltersForm({
  applied,
  folderId,
  folders,
  onApply,
  onClear,
}: {
  applied: DocumentFilters;
  folderId: string;
  folders: Folder[];
  onApply: (filters: Omit<DocumentFilters, 'category'>, folderId: string) => void;
  onClear: () => void;
}) {
  const { t } = useTranslation();
  const [author, setAuthor] = useState(applied.author ?? '');
  const [from, setFrom] = useState(applied.from ?? '');
  const [to, setTo] = useState(applied.to ?? '');
  const [folder, setFolder] = useState(folderId);
  const form = useSubmit();

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (from && to && from > to) errors.push({ field: 'documents-to', message: t('dmp.filters.badPeriod') });
    const ok = await form.run(errors, async () => undefined);
    if (ok) {
      onApply({ ...(author.trim() ? { author: author.trim() } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}) }, folder);
    }
  };

  return (
    <section aria-labelledby="documents-filters-title" className="panel">
      <h2 id="documents-filters-title">{t('dmp.filters.title')}</h2>
      <form noValidate role="search" aria-labelledby="documents-filters-title" onSubmit={onSubmit}>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="documents-author"
          label={t('dmp.filters.author')}
          hint={t('dmp.filters.authorHint')}
          value={author}
          onChange={(e) => setAuthor(e.target.value)}
          maxLength={100}
          autoComplete="off"
        />
        <div className="doc-period">
          <TextField id="documents-from" type="date" label={t('dmp.filters.from')} value={from} onChange={(e) => setFrom(e.target.value)} />
          <TextField
            id="documents-to"
            type="date"
            label={t('dmp.filters.to')}
            value={to}
            onChange={(e) => setTo(e.target.value)}
            error={form.errorFor('documents-to')}
          />
        </div>
        {folders.length > 0 && (
          <Field
            id="documents-folder"
            label={t('dmp.filters.folder')}
            control={(aria) => (
              <select id="documents-folder" {...aria} value={folder} onChange={(e) => setFolder(e.target.value)}>
                <option value="">{t('dmp.filters.anyFolder')}</option>
                {folders.map((f) => (
                  <option key={f.id} value={f.id}>
                    {f.name}
                  </option>
                ))}
              </select>
            )}
          />
        )}
        <div className="button-group button-group--compact">
          <SubmitButton pending={false}>{t('dmp.filters.apply')}</SubmitButton>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => {
              setAuthor('');
              setFrom('');
              setTo('');
              setFolder('');
              form.reset();
              onClear();
            }}
          >
            {t('dmp.filters.clear')}
          </button>
        </div>
      </form>
    </section>
  );
}
