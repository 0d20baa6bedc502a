import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { isNir, normaliseNir } from '../../../validation';
import { ColleaguePicker } from './ColleaguePicker';
import { CHAT_KEY, createRoom } from './useChat';
import type { ChatMember } from './types';

/** An API error about a field of this form is shown next to it. */
function fieldOf(code: string): string | undefined {
  if (code === 'chat.title') return 'chat-new-title';
  if (code.startsWith('chat.member') || code === 'chat.members' || code === 'chat.too-many-members') return 'chat-new-search';
  if (code.startsWith('ins.') || code === 'chat.patient-unknown' || code === 'chat.patient') return 'chat-new-ins';
  return undefined;
}

/** "Nouvelle discussion": a subject, colleagues from the directory, and optionally the patient's INS. */
export function NewRoomForm({ me }: { me: string | undefined }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [members, setMembers] = useState<ChatMember[]>([]);
  const [ins, setIns] = useState('');
  const { errors, pending, run, errorFor } = useSubmit(fieldOf);

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = [];
    if (!title.trim()) invalid.push({ field: 'chat-new-title', message: t('chat.create.titleRequired') });
    if (members.length === 0) invalid.push({ field: 'chat-new-search', message: t('chat.create.membersRequired') });
    if (ins.trim() && !isNir(ins)) invalid.push({ field: 'chat-new-ins', message: t('chat.create.insFormat') });
    await run(invalid, async () => {
      const room = await createRoom({
        title: title.trim(),
        members: members.map((m) => m.practitionerId),
        ...(ins.trim() ? { patient: { ins: { value: normaliseNir(ins) } } } : {}),
      });
      await queryClient.invalidateQueries({ queryKey: [CHAT_KEY, 'rooms'] });
      void navigate(`/pro/discussions/${encodeURIComponent(room.id)}`);
    });
  };

  return (
    <section aria-labelledby="chat-new-heading" className="panel">
      <h2 id="chat-new-heading">{t('chat.create.title')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby="chat-new-heading">
        <ErrorSummary errors={errors} />
        <TextField
          id="chat-new-title"
          label={t('chat.create.roomTitle')}
          hint={t('chat.create.roomTitleHint')}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          error={errorFor('chat-new-title')}
          maxLength={100}
          autoComplete="off"
          required
        />
        <ColleaguePicker idPrefix="chat-new" selected={members} onChange={setMembers} exclude={me ? [me] : []} error={errorFor('chat-new-search')} />
        <TextField
          id="chat-new-ins"
          label={t('chat.create.patient')}
          hint={t('chat.create.patientHint')}
          value={ins}
          onChange={(e) => setIns(e.target.value)}
          error={errorFor('chat-new-ins')}
          autoComplete="off"
          spellCheck={false}
          maxLength={21}
        />
        <SubmitButton pending={pending}>{t('chat.create.submit')}</SubmitButton>
      </form>
    </section>
  );
}
