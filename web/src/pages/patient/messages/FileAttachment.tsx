import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../api';
import { CATEGORIES } from '../../../dmp-types';
import type { DocumentView } from '../../../dmp-types';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { formatDate } from '../../../format';
import type { AttachmentView, MessageView } from '../../../messaging-types';
import { categoryLabel } from '../documents/labels';
import { DOCUMENTS_KEY } from '../documents/useDocuments';
import { attachmentPath } from './useMessages';

const fileUrl = (message: MessageView, attachment: AttachmentView) =>
  `${attachmentPath(message.conversationId, message.id, attachment.index)}/file`;

/**
 * "Ajouter à mes documents" for an attachment received: a title and a category, then filed; for an IHE XDM
 * package, one button per document it holds (its metadata come with it).
 */
export function FileAttachment({ message, attachment, onFiled }: { message: MessageView; attachment: AttachmentView; onFiled: (text: string) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const base = `msg-${message.id}-file-${attachment.index}`;
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(attachment.filename.replace(/\.[^.]+$/, '').slice(0, 200));
  const [category, setCategory] = useState('');
  const [filed, setFiled] = useState<Set<number | 'whole'>>(new Set());
  const [entryPending, setEntryPending] = useState<number | null>(null);
  const [entryError, setEntryError] = useState<string | null>(null);
  const form = useSubmit((code) => (code === 'documents.category' ? `${base}-category` : code === 'upload.title' ? `${base}-title` : undefined));

  const done = async (text: string, which: number | 'whole') => {
    setFiled((s) => new Set(s).add(which));
    await queryClient.invalidateQueries({ queryKey: [DOCUMENTS_KEY] });
    onFiled(text);
  };

  if (attachment.xdm && attachment.xdm.length > 0) {
    const fileEntry = async (entry: number) => {
      if (entryPending !== null) return;
      setEntryPending(entry);
      setEntryError(null);
      try {
        const doc = await api<DocumentView>(fileUrl(message, attachment), { method: 'POST', body: { entry } });
        await done(t('messaging.file.done', { title: doc?.title ?? attachment.xdm![entry]!.title }), entry);
      } catch (e) {
        setEntryError(errorMessage(e));
      } finally {
        setEntryPending(null);
      }
    };
    return (
      <div className="msg-xdm">
        <p className="meta">{t('messaging.file.xdmIntro', { count: attachment.xdm.length })}</p>
        <ul className="plain-list">
          {attachment.xdm.map((entry, i) => (
            <li key={entry.path} className="msg-xdm__entry">
              <p>
                <strong>{entry.title}</strong>
                <span className="meta">
                  {' · '}
                  {entry.typeDisplay ?? entry.mimeType}
                  {entry.date && ` · ${formatDate(entry.date)}`}
                </span>
              </p>
              {filed.has(i) ? (
                <p className="text-success">{t('messaging.file.filedBadge')}</p>
              ) : (
                <button
                  type="button"
                  className="button button--secondary button--small"
                  aria-disabled={entryPending !== null || undefined}
                  onClick={() => void fileEntry(i)}
                >
                  {t('messaging.file.add')}
                  <span className="visually-hidden"> : {entry.title}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
        {entryError && (
          <p className="text-error" role="alert">
            {entryError}
          </p>
        )}
      </div>
    );
  }

  if (filed.has('whole')) return <p className="text-success">{t('messaging.file.filedBadge')}</p>;

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const errors: FieldError[] = [];
    if (!title.trim()) errors.push({ field: `${base}-title`, message: t('dmp.upload.errors.titleRequired') });
    else if (title.trim().length > 200) errors.push({ field: `${base}-title`, message: t('dmp.upload.errors.titleTooLong') });
    if (!category) errors.push({ field: `${base}-category`, message: t('dmp.upload.errors.categoryRequired') });
    let saved: DocumentView | undefined;
    const ok = await form.run(errors, async () => {
      saved = await api<DocumentView>(fileUrl(message, attachment), { method: 'POST', body: { title: title.trim(), category } });
    });
    if (ok) {
      await done(t('messaging.file.doneIn', { title: saved?.title ?? title.trim(), category: categoryLabel(t, category) }), 'whole');
    }
  };

  return (
    <div className="msg-file">
      <button
        id={`${base}-open`}
        type="button"
        className="button button--secondary button--small"
        aria-expanded={open}
        aria-controls={`${base}-form`}
        onClick={() => setOpen(!open)}
      >
        {t('messaging.file.add')}
        <span className="visually-hidden"> : {attachment.filename}</span>
      </button>
      <div id={`${base}-form`} hidden={!open}>
        {open && (
          <form noValidate onSubmit={onSubmit} aria-label={t('messaging.file.formLabel', { name: attachment.filename })}>
            <ErrorSummary errors={form.errors} />
            <TextField
              id={`${base}-title`}
              label={t('dmp.upload.title')}
              value={title}
              onChange={(e) => setTitle(e.target.value)}
              error={form.errorFor(`${base}-title`)}
              maxLength={200}
              autoComplete="off"
            />
            <Field
              id={`${base}-category`}
              label={t('dmp.upload.category')}
              error={form.errorFor(`${base}-category`)}
              control={(aria) => (
                <select id={`${base}-category`} {...aria} value={category} onChange={(e) => setCategory(e.target.value)}>
                  <option value="">{t('dmp.upload.chooseCategory')}</option>
                  {CATEGORIES.map((c) => (
                    <option key={c} value={c}>
                      {categoryLabel(t, c)}
                    </option>
                  ))}
                </select>
              )}
            />
            <SubmitButton pending={form.pending} variant="secondary">
              {t('messaging.file.submit')}
            </SubmitButton>
          </form>
        )}
      </div>
    </div>
  );
}
