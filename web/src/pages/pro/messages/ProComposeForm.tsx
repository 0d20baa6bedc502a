import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CheckboxField } from '../../../components/CheckboxField';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { SendResult } from '../../../messaging-types';
import { AttachmentsPicker } from '../../messages-common/AttachmentsPicker';
import { SUBJECT_MAX, TEXT_MAX, type ChosenAttachment } from '../../messages-common/messagingApi';
import { categoryLabel } from '../documents/labels';
import { useProDocuments } from '../documents/useDmpPro';
import { proConversationPath, proPost } from './useProMessages';

const ATTACHMENT_CODES = ['messages.attachments-too-large', 'messages.too-many-attachments', 'messages.quota-exceeded', 'messages.upload-unknown', 'messages.document-unknown', 'messages.attachments', 'messages.upload'];

/**
 * A professional writes to a patient: a new conversation (subject, text) or a reply; attachments from the
 * device or from the patient's record (the documents they may read); "mettre fin à l'échange" with it.
 */
export function ProComposeForm({
  idPrefix,
  headingId,
  patientId,
  conversationId,
  onDone,
  onCancel,
}: {
  idPrefix: string;
  headingId: string;
  patientId: string;
  /** A reply in this conversation; a new conversation otherwise. */
  conversationId?: string;
  onDone: (result: SendResult | undefined, ended: boolean) => void | Promise<void>;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [end, setEnd] = useState(false);
  const [chosen, setChosen] = useState<ChosenAttachment[]>([]);
  const id = (part: string) => `${idPrefix}-${part}`;
  const form = useSubmit((code) => (ATTACHMENT_CODES.includes(code) ? id('attach-file') : code === 'messages.subject' ? id('subject') : code === 'messages.empty' || code === 'messages.text-too-long' ? id('text') : undefined));
  const documents = useProDocuments(patientId, true);
  const docs = documents.data?.documents.map((d) => ({ id: d.id, title: d.title, detail: categoryLabel(t, d.category) }));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.pending) return;
    const errors: FieldError[] = [];
    if (!conversationId) {
      if (!subject.trim()) errors.push({ field: id('subject'), message: t('messaging.compose.errors.subject') });
      else if (subject.trim().length > SUBJECT_MAX) errors.push({ field: id('subject'), message: t('messaging.compose.errors.subjectTooLong', { max: SUBJECT_MAX }) });
    }
    if (!text.trim() && chosen.length === 0) errors.push({ field: id('text'), message: t('messaging.compose.errors.text') });
    else if (text.length > TEXT_MAX) errors.push({ field: id('text'), message: t('messaging.compose.errors.textTooLong') });
    let result: SendResult | undefined;
    const attachments = chosen.map((c) => c.ref);
    const ok = await form.run(errors, async () => {
      result = conversationId
        ? await proPost<SendResult>(`${proConversationPath(patientId, conversationId)}/reply`, { text, attachments, end })
        : await proPost<SendResult>('/api/pro/messages', { patientId, subject: subject.trim(), text, attachments, end });
    });
    if (ok) {
      setText('');
      setSubject('');
      setChosen([]);
      const ended = end;
      setEnd(false);
      await onDone(result, ended);
    }
  };

  return (
    <form noValidate onSubmit={onSubmit} aria-labelledby={headingId} className="msg-compose">
      <ErrorSummary errors={form.errors} />
      {!conversationId && (
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
      <TextAreaField id={id('text')} label={t('messaging.compose.text')} value={text} onChange={(e) => setText(e.target.value)} error={form.errorFor(id('text'))} rows={8} />
      <AttachmentsPicker
        idPrefix={idPrefix}
        space="pro"
        chosen={chosen}
        onChange={setChosen}
        documents={docs}
        documentsLabel={t('messagingPro.compose.fromRecord')}
        documentsUnavailable={documents.isPending ? t('common.loading') : documents.isError ? t('messagingPro.compose.recordUnavailable') : undefined}
      />
      <CheckboxField id={id('end')} label={t('messagingPro.compose.end')} hint={t('messagingPro.compose.endHint')} checked={end} onChange={(e) => setEnd(e.target.checked)} />
      <div className="button-group button-group--compact">
        <SubmitButton pending={form.pending}>{form.pending ? t('forms.sending') : t('messaging.compose.send')}</SubmitButton>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
