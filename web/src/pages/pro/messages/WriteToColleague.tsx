import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { TextField } from '../../../components/TextField';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { DirectoryItem, DirectoryPage } from '../../../types';
import { AttachmentsPicker } from '../../messages-common/AttachmentsPicker';
import { SUBJECT_MAX, TEXT_MAX, type ChosenAttachment } from '../../messages-common/messagingApi';
import { focusLater } from './ProConversation';

const ADDRESS = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

/** "Écrire à un confrère": their MSSanté address(es), found in the directory or typed; relayed over SMTP. */
export function WriteToColleague({ onSent }: { onSent: (text: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [found, setFound] = useState<DirectoryItem[] | null>(null);
  const [picked, setPicked] = useState<string[]>([]);
  const [typed, setTyped] = useState('');
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<ChosenAttachment[]>([]);
  const search = useSubmit();
  const form = useSubmit((code) =>
    code.startsWith('messages.') && code.includes('attachment') ? 'msg-colleague-attach-file' : code === 'messages.no-mailbox' ? 'msg-colleague-typed' : undefined,
  );

  const onSearch = async (event: FormEvent) => {
    event.preventDefault();
    if (search.pending) return;
    const errors: FieldError[] = name.trim().length < 2 ? [{ field: 'msg-colleague-name', message: t('messagingPro.colleague.nameTooShort') }] : [];
    await search.run(errors, async () => {
      const page = await api<DirectoryPage>(`/api/directory?${new URLSearchParams({ name: name.trim(), pageSize: '20' }).toString()}`, { acting: false });
      setFound(page.items ?? []);
      focusLater('msg-colleague-results');
    });
  };

  const recipients = (): string[] => {
    const fromText = typed
      .split(/[\s,;]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    return [...new Set([...picked, ...fromText])];
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (form.pending) return;
    const to = recipients();
    const errors: FieldError[] = [];
    if (to.length === 0) errors.push({ field: 'msg-colleague-typed', message: t('messagingPro.colleague.noRecipient') });
    const bad = to.filter((a) => !ADDRESS.test(a));
    if (bad.length) errors.push({ field: 'msg-colleague-typed', message: t('messagingPro.colleague.badAddress', { addresses: bad.join(', ') }) });
    if (!subject.trim()) errors.push({ field: 'msg-colleague-subject', message: t('messaging.compose.errors.subject') });
    else if (subject.trim().length > SUBJECT_MAX) errors.push({ field: 'msg-colleague-subject', message: t('messaging.compose.errors.subjectTooLong', { max: SUBJECT_MAX }) });
    if (!text.trim()) errors.push({ field: 'msg-colleague-text', message: t('messaging.compose.errors.text') });
    else if (text.length > TEXT_MAX) errors.push({ field: 'msg-colleague-text', message: t('messaging.compose.errors.textTooLong') });
    const ok = await form.run(errors, async () => {
      await api('/api/pro/messages/colleagues', {
        method: 'POST',
        body: { to, subject: subject.trim(), text, attachments: chosen.map((c) => c.ref) },
        acting: false,
      });
    });
    if (ok) {
      setPicked([]);
      setTyped('');
      setSubject('');
      setText('');
      setChosen([]);
      onSent(t('messagingPro.colleague.sent', { to: to.join(', ') }));
      focusLater('msg-colleague-title');
    }
  };

  const withMailbox = (found ?? []).filter((i) => (i.mailboxes ?? []).length > 0);

  return (
    <section aria-labelledby="msg-colleague-title" className="panel">
      <h2 id="msg-colleague-title" tabIndex={-1}>
        {t('messagingPro.colleague.title')}
      </h2>
      <p>{t('messagingPro.colleague.intro')}</p>
      <div className="subform">
        <h3 id="msg-colleague-search-title">{t('messagingPro.colleague.searchTitle')}</h3>
        <form noValidate role="search" aria-labelledby="msg-colleague-search-title" onSubmit={onSearch}>
          <ErrorSummary errors={search.errors} />
          <TextField
            id="msg-colleague-name"
            label={t('messagingPro.colleague.name')}
            hint={t('messagingPro.colleague.nameHint')}
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={search.errorFor('msg-colleague-name')}
            autoComplete="off"
            maxLength={100}
          />
          <SubmitButton pending={search.pending} variant="secondary">
            {t('messagingPro.colleague.search')}
          </SubmitButton>
        </form>
        {found && (
          <fieldset className="msg-recipients">
            <legend id="msg-colleague-results" tabIndex={-1}>
              {t('messagingPro.colleague.results', { count: withMailbox.length })}
            </legend>
            {withMailbox.length === 0 ? (
              <p className="hint">{t('messagingPro.colleague.noResults')}</p>
            ) : (
              <ul className="plain-list">
                {withMailbox.flatMap((item) =>
                  (item.mailboxes ?? []).map((address) => {
                    const id = `msg-colleague-${item.roleId}-${address.replace(/[^a-z0-9]/gi, '-')}`;
                    return (
                      <li key={`${item.roleId}-${address}`} className="msg-choice">
                        <input
                          id={id}
                          type="checkbox"
                          checked={picked.includes(address)}
                          onChange={(e) => setPicked((p) => (e.target.checked ? [...p, address] : p.filter((a) => a !== address)))}
                        />
                        <label htmlFor={id}>
                          <span className="msg-choice__name">
                            {[item.civility, item.given, item.family].filter(Boolean).join(' ')}
                          </span>
                          <span className="meta msg-choice__detail">
                            {address}
                            {[item.professionLabel, item.organizationName, item.city].filter(Boolean).length > 0 &&
                              ` · ${[item.professionLabel, item.organizationName, item.city].filter(Boolean).join(', ')}`}
                          </span>
                        </label>
                      </li>
                    );
                  }),
                )}
              </ul>
            )}
          </fieldset>
        )}
      </div>
      <h3 id="msg-colleague-compose-title">{t('messagingPro.colleague.composeTitle')}</h3>
      <form noValidate onSubmit={onSubmit} aria-labelledby="msg-colleague-compose-title" className="msg-compose">
        <ErrorSummary errors={form.errors} />
        {picked.length > 0 && <p>{t('messagingPro.colleague.picked', { addresses: picked.join(', ') })}</p>}
        <TextField
          id="msg-colleague-typed"
          label={t('messagingPro.colleague.typed')}
          hint={t('messagingPro.colleague.typedHint')}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={form.errorFor('msg-colleague-typed')}
          autoComplete="off"
          spellCheck={false}
        />
        <TextField
          id="msg-colleague-subject"
          label={t('messaging.compose.subject')}
          value={subject}
          onChange={(e) => setSubject(e.target.value)}
          error={form.errorFor('msg-colleague-subject')}
          maxLength={SUBJECT_MAX}
          autoComplete="off"
        />
        <TextAreaField id="msg-colleague-text" label={t('messaging.compose.text')} value={text} onChange={(e) => setText(e.target.value)} error={form.errorFor('msg-colleague-text')} rows={8} />
        <AttachmentsPicker idPrefix="msg-colleague" space="pro" chosen={chosen} onChange={setChosen} />
        <SubmitButton pending={form.pending}>{form.pending ? t('forms.sending') : t('messaging.compose.send')}</SubmitButton>
      </form>
    </section>
  );
}
