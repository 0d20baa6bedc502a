import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, apiDelete, apiPost, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { Disclosure } from '../professionals/Disclosure';
import type { DocumentView, Folder } from './types';
import { DOCUMENTS_KEY } from './useDocuments';

const FOLDER_NAME_MAX = 50;

function checkName(t: (key: string) => string, name: string, field: string): FieldError[] {
  const trimmed = name.trim();
  if (!trimmed) return [{ field, message: t('dmp.folders.errors.nameRequired') }];
  if (trimmed.length > FOLDER_NAME_MAX) return [{ field, message: t('dmp.folders.errors.nameTooLong') }];
  return [];
}

/** "Mes dossiers": the person's own folders (create, rename, delete), each with its number of documents. */
export function Folders({ folders, documents }: { folders: Folder[]; documents: DocumentView[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useSubmit((code) => (code === 'folders.name' || code === 'folders.limit' ? 'folder-new-name' : undefined));

  const refresh = () => queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY] });

  const onCreate = async (event: FormEvent) => {
    event.preventDefault();
    setStatus(null);
    const created = name.trim();
    const ok = await form.run(checkName(t, name, 'folder-new-name'), async () => {
      await apiPost('/api/documents/folders', { name: created });
    });
    if (ok) {
      setName('');
      setStatus({ ok: true, text: t('dmp.folders.created', { name: created }) });
      await refresh();
    }
  };

  return (
    <section aria-labelledby="folders-title" className="panel">
      <h2 id="folders-title" tabIndex={-1}>
        {t('dmp.folders.title')}
      </h2>
      <p>{t('dmp.folders.intro')}</p>
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      {folders.length === 0 ? (
        <p>{t('dmp.folders.empty')}</p>
      ) : (
        <ul className="plain-list">
          {folders.map((f) => (
            <FolderItem
              key={f.id}
              folder={f}
              count={documents.filter((d) => d.folderId === f.id).length}
              onDone={async (text, ok = true) => {
                setStatus({ ok, text });
                await refresh();
              }}
            />
          ))}
        </ul>
      )}
      <form noValidate onSubmit={onCreate} aria-labelledby="folder-new-title">
        <h3 id="folder-new-title">{t('dmp.folders.createTitle')}</h3>
        <ErrorSummary errors={form.errors} />
        <TextField
          id="folder-new-name"
          label={t('dmp.folders.name')}
          hint={t('dmp.folders.nameHint')}
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={form.errorFor('folder-new-name')}
          maxLength={FOLDER_NAME_MAX}
          autoComplete="off"
        />
        <SubmitButton pending={form.pending}>{t('dmp.folders.create')}</SubmitButton>
      </form>
    </section>
  );
}

function FolderItem({
  folder,
  count,
  onDone,
}: {
  folder: Folder;
  count: number;
  onDone: (text: string, ok?: boolean) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const [name, setName] = useState(folder.name);
  const fieldId = `folder-${folder.id}-name`;
  const form = useSubmit((code) => (code === 'folders.name' ? fieldId : undefined));
  const path = `/api/documents/folders/${encodeURIComponent(folder.id)}`;
  const hidden = <span className="visually-hidden"> : {folder.name}</span>;

  const onRename = async (event: FormEvent) => {
    event.preventDefault();
    const renamed = name.trim();
    const ok = await form.run(checkName(t, name, fieldId), async () => {
      await api(path, { method: 'PATCH', body: { name: renamed } });
    });
    if (ok) await onDone(t('dmp.folders.renamed', { name: renamed }));
  };

  const onDelete = async () => {
    if (pending) return;
    setPending(true);
    try {
      await apiDelete(path);
      await onDone(t('dmp.folders.deleted', { name: folder.name }));
      document.getElementById('folders-title')?.focus();
    } catch (error) {
      await onDone(errorMessage(error), false);
    } finally {
      setPending(false);
    }
  };

  return (
    <li className="card">
      <h3 className="folder__name">
        {folder.name} <span className="meta">({t('dmp.folders.count', { count })})</span>
      </h3>
      <Disclosure
        label={
          <>
            {t('dmp.folders.rename')}
            {hidden}
          </>
        }
      >
        {() => (
          <form noValidate onSubmit={onRename}>
            <ErrorSummary errors={form.errors} />
            <TextField
              id={fieldId}
              label={t('dmp.folders.newName')}
              value={name}
              onChange={(e) => setName(e.target.value)}
              error={form.errorFor(fieldId)}
              maxLength={FOLDER_NAME_MAX}
              autoComplete="off"
            />
            <SubmitButton pending={form.pending} variant="secondary">
              {t('dmp.folders.renameSubmit')}
              {hidden}
            </SubmitButton>
          </form>
        )}
      </Disclosure>
      <button
        id={`folder-${folder.id}-delete`}
        type="button"
        className="button button--secondary button--small"
        aria-expanded={confirming}
        onClick={() => setConfirming(true)}
      >
        {t('dmp.folders.delete')}
        {hidden}
      </button>
      {confirming && (
        <ConfirmBox
          title={t('dmp.folders.deleteTitle', { name: folder.name })}
          confirmLabel={t('dmp.folders.deleteConfirm')}
          pending={pending}
          onConfirm={() => void onDelete()}
          onCancel={() => {
            setConfirming(false);
            document.getElementById(`folder-${folder.id}-delete`)?.focus();
          }}
        >
          <p>{t('dmp.folders.deleteText')}</p>
        </ConfirmBox>
      )}
    </li>
  );
}
