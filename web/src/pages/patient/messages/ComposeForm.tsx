import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { AttachmentRef, MessageView, Party, SendResult } from '../../../messaging-types';
import { AttachmentsPicker } from '../../messages-common/AttachmentsPicker';
import { SUBJECT_MAX, TEXT_MAX, partyText, type ChosenAttachment } from '../../messages-common/messagingApi';
import { useDocuments } from '../documents/useDocuments';
import { categoryLabel } from '../documents/labels';
import { conversationPath } from './useMessages';

export type ComposeMode =
  | { kind: 'new'; to: Party }
  | { kind: 'reply'; conversationId: string; replyAllOffered: boolean }
  | { kind: 'draft'; draft: MessageView };

export interface ComposeOutcome {
  result: SendResult | undefined;
  draft: boolean;
  mode: ComposeMode['kind'];
}

const ATTACHMENT_CODES = ['messages.attachments-too-large', 'messages.too-many-attachments', 'messages.quota-exceeded', 'messages.upload-unknown', 'messages.document-unknown', 'messages.attachments', 'messages.upload'];

/**
 * Writing in the patient's inbox: a new message (subject, text), a reply (text, "répondre à tous"), or a draft
 * being edited; attachments from the device, from the documents, or the medical profile's summary. "Envoyer"
 * sends, "Enregistrer le brouillon" keeps it as a draft.
 */
export function ComposeForm({
  idPrefix,
  mode,
  headingId,
  onDone,
  onCancel,
}: {
  idPrefix: string;
  mode: ComposeMode;
  /** The heading that names the form. */
  headingId: string;
  onDone: (outcome: ComposeOutcome) => void | Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const draft = mode.kind === 'draft' ? mode.draft : undefined;
  const [subject, setSubject] = useState(draft?.subject ?? '');
  const [text, setText] = useState(draft?.text ?? '');
  const [replyAll, setReplyAll] = useState(false);
  const [chosen, setChosen] = useState<ChosenAttachment[]>([]);
  const id = (part: string) => `${idPrefix}-${part}`;
  const form = useSubmit((code) => (ATTACHMENT_CODES.includes(code) ? id('attach-file') : code === 'messages.subject' ? id('subject') : code === 'messages.empty' || code === 'messages.text-too-long' ? id('text') : undefined));
  const [showDocs, setShowDocs] = useState(false);
  const documents = useDocuments({});
  const docs = showDocs
    ? (documents.data?.documents ?? []).map((d) => ({ id: d.id, title: d.title, detail: categoryLabel(t, d.category) }))
    : undefined;

  const validate = (): FieldError[] => {
    const errors: FieldError[] = [];
    if (mode.kind === 'new' || (draft && subject !== draft.subject)) {
      if (!subject.trim()) errors.push({ field: id('subject'), message: t('messaging.compose.errors.subject') });
      else if (subject.trim().length > SUBJECT_MAX) errors.push({ field: id('subject'), message: t('messaging.compose.errors.subjectTooLong', { max: SUBJECT_MAX }) });
    }
    if (!text.trim() && chosen.length === 0) errors.push({ field: id('text'), message: t('messaging.compose.errors.text') });
    else if (text.length > TEXT_MAX) errors.push({ field: id('text'), message: t('messaging.compose.errors.textTooLong') });
    return errors;
  };

  const submit = async (asDraft: boolean) => {
    if (form.pending) return;
    const attachments: AttachmentRef[] = chosen.map((c) => c.ref);
    let result: SendResult | undefined;
    const ok = await form.run(validate(), async () => {
      if (mode.kind === 'new') {
        result = await api<SendResult>('/api/messages', {
          method: 'POST',
          body: { to: mode.to.address, subject: subject.trim(), text, attachments, ...(asDraft ? { draft: true } : {}) },
        });
      } else if (mode.kind === 'reply') {
        result = await api<SendResult>(`${conversationPath(mode.conversationId)}/reply`, {
          method: 'POST',
          body: { text, replyAll, attachments, ...(asDraft ? { draft: true } : {}) },
        });
      } else {
        const path = `/api/messages/drafts/${encodeURIComponent(mode.draft.id)}`;
        await api(path, {
          method: 'PUT',
          body: { text, ...(subject !== mode.draft.subject ? { subject: subject.trim() } : {}), ...(attachments.length ? { attachments } : {}) },
        });
        if (!asDraft) result = await api<SendResult>(`${path}/send`, { method: 'POST', body: {} });
      }
    });
    if (ok) {
      setChosen([]);
      if (mode.kind !== 'draft') setText('');
      await onDone({ result, draft: asDraft, mode: mode.kind });
    }
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(false);
  };

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby={headingId} className="msg-compose">
      <ErrorSummary errors={form.errors} />
      {mode.kind === 'new' && (
        <p className="msg-compose__to">
          <strong>{t('messaging.message.to')} :</strong> {partyText(mode.to)}
        </p>
      )}
      {(mode.kind === 'new' || mode.kind === 'draft') && (
        <TextField
          id={id('subject')}
          label={t('messaging.compose.subject')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={form.errorFor(id('subject'))}
          maxLength={SUBJECT_MAX}
          autoComplete="off"
        />
      )}
      <TextAreaField
        id={id('text')}
        label={t('messaging.compose.text')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={form.errorFor(id('text'))}
        rows={8}
      />
      {mode.kind === 'reply' && mode.replyAllOffered && (
        <CheckboxField
          id={id('reply-all')}
          label={t('messaging.compose.replyAll')}
          hint={t('messaging.compose.replyAllHint')}
          checked={replyAll}
          onChange={(e) => setReplyAll(e.target.checked)}
        />
      )}
      {draft && draft.attachments.length > 0 && (
        <p className="hint">{t('messaging.compose.draftAttachments', { names: draft.attachments.map((a) => a.filename).join(', ') })}</p>
      )}
      <AttachmentsPicker
        idPrefix={idPrefix}
        space="patient"
        chosen={chosen}
        onChange={setChosen}
        documents={docs}
        documentsUnavailable={documents.isPending && showDocs ? t('common.loading') : undefined}
        medicalProfile
      />
      {!showDocs && (
        <button type="button" className="button button--link msg-compose__docs" onClick={() => setShowDocs(true)}>
          {t('messaging.attach.showDocuments')}
        </button>
      )}
      <div className="button-group button-group--compact">
        <SubmitButton pending={form.pending}>
          {form.pending ? t('forms.sending') : mode.kind === 'draft' ? t('messaging.compose.sendDraft') : t('messaging.compose.send')}
        </SubmitButton>
        <button type="button" className="button button--secondary" aria-disabled={form.pending || undefined} onClick={() => void submit(true)}>
          {t('messaging.compose.saveDraft')}
        </button>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
