import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { Field } from '../../../components/Field';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TableScroller } from '../../../components/TableScroller';
import { TextField } from '../../../components/TextField';
import { formatDateTime, isoOrUndefined } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import type { Credential, Party } from '../../../messaging-types';
import { PRO_MESSAGES_KEY } from '../../messages-common/messagingApi';
import { ConfirmBox } from '../../patient/professionals/ConfirmBox';
import { focusLater } from './ProConversation';
import { useCredentials } from './useProMessages';

/**
 * "Messagerie sur mon logiciel": passwords for a mail client (SMTP submission) on one of the professional's
 * mailboxes; each is shown once, at its creation, and may be revoked.
 */
export function Credentials({ mailboxes }: { mailboxes: Party[] }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const credentials = useCredentials();
  const [label, setLabel] = useState('');
  const [address, setAddress] = useState('');
  const [created, setCreated] = useState<Credential | null>(null);
  const [revoking, setRevoking] = useState<Credential | null>(null);
  const [pending, setPending] = useState(false);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  const form = useSubmit();
  const chosenAddress = address || mailboxes[0]?.address || '';
  const refresh = () => queryClient.invalidateQueries({ queryKey: [PRO_MESSAGES_KEY, 'credentials'] });

  const onCreate = async (event: FormEvent) => {
    event.preventDefault();
    if (form.pending) return;
    const errors: FieldError[] = [];
    if (!label.trim()) errors.push({ field: 'msg-cred-label', message: t('messagingPro.credentials.labelRequired') });
    let answer: Credential | undefined;
    const ok = await form.run(errors, async () => {
      answer = await api<Credential>('/api/pro/messages/credentials', { method: 'POST', body: { address: chosenAddress, label: label.trim() }, acting: false });
    });
    if (ok && answer) {
      setCreated(answer);
      setLabel('');
      setStatus(null);
      await refresh();
      focusLater('msg-cred-created');
    }
  };

  const revoke = async (c: Credential) => {
    if (pending) return;
    setPending(true);
    try {
      await api(`/api/pro/messages/credentials/${encodeURIComponent(c.id)}`, { method: 'DELETE', acting: false });
      setRevoking(null);
      if (created?.id === c.id) setCreated(null);
      setStatus({ ok: true, text: t('messagingPro.credentials.revoked', { label: c.label }) });
      await refresh();
      focusLater('msg-cred-title');
    } catch (e) {
      setStatus({ ok: false, text: errorMessage(e) });
    } finally {
      setPending(false);
    }
  };

  const list = credentials.data ?? [];

  return (
    <section aria-labelledby="msg-cred-title" className="panel">
      <h2 id="msg-cred-title" tabIndex={-1}>
        {t('messagingPro.credentials.title')}
      </h2>
      <p>{t('messagingPro.credentials.intro')}</p>
      <StatusMessage>{status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}</StatusMessage>
      {credentials.isPending ? (
        <Loading />
      ) : credentials.isError ? (
        <QueryError error={credentials.error} />
      ) : list.length === 0 ? (
        <p>{t('messagingPro.credentials.none')}</p>
      ) : (
        <TableScroller label={t('messagingPro.credentials.tableLabel')}>
          <table>
            <caption className="visually-hidden">{t('messagingPro.credentials.tableLabel')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('messagingPro.credentials.label')}</th>
                <th scope="col">{t('messagingPro.credentials.address')}</th>
                <th scope="col">{t('messagingPro.credentials.createdAt')}</th>
                <th scope="col">{t('messagingPro.credentials.lastUsedAt')}</th>
                <th scope="col">{t('messagingPro.credentials.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((c) => (
                <tr key={c.id}>
                  <th scope="row">{c.label}</th>
                  <td>{c.address}</td>
                  <td>
                    <time dateTime={isoOrUndefined(c.createdAt)}>{formatDateTime(c.createdAt)}</time>
                  </td>
                  <td>{c.lastUsedAt ? <time dateTime={isoOrUndefined(c.lastUsedAt)}>{formatDateTime(c.lastUsedAt)}</time> : t('messagingPro.credentials.neverUsed')}</td>
                  <td>
                    {/* named with its row's label (a hidden span inside a scrolling table would widen a phone's page) */}
                    <button
                      id={`msg-cred-revoke-${c.id}`}
                      type="button"
                      className="button button--danger button--small"
                      aria-label={`${t('messagingPro.credentials.revoke')} : ${c.label}`}
                      aria-expanded={revoking?.id === c.id}
                      onClick={() => setRevoking(c)}
                    >
                      {t('messagingPro.credentials.revoke')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      )}
      {revoking && (
        <ConfirmBox
          title={t('messagingPro.credentials.revokeConfirmTitle', { label: revoking.label })}
          confirmLabel={t('messagingPro.credentials.revokeConfirm')}
          headingLevel="h3"
          pending={pending}
          onConfirm={() => void revoke(revoking)}
          onCancel={() => {
            const id = revoking.id;
            setRevoking(null);
            focusLater(`msg-cred-revoke-${id}`);
          }}
        >
          <p>{t('messagingPro.credentials.revokeText')}</p>
        </ConfirmBox>
      )}
      {created?.password && (
        <div className="panel panel--success msg-cred-created" id="msg-cred-created" tabIndex={-1} role="group" aria-labelledby="msg-cred-created-title">
          <h3 id="msg-cred-created-title">{t('messagingPro.credentials.createdTitle', { label: created.label })}</h3>
          <dl className="details">
            <dt>{t('messagingPro.credentials.login')}</dt>
            <dd>
              <code>{created.address}</code>
            </dd>
            <dt>{t('messagingPro.credentials.password')}</dt>
            <dd>
              <code className="msg-cred-password">{created.password}</code>
            </dd>
          </dl>
          <p className="note">{t('messagingPro.credentials.shownOnce')}</p>
          <button type="button" className="button button--secondary button--small" onClick={() => setCreated(null)}>
            {t('messagingPro.credentials.hide')}
          </button>
        </div>
      )}
      {mailboxes.length > 0 ? (
        <div className="subform">
          <h3 id="msg-cred-new-title">{t('messagingPro.credentials.newTitle')}</h3>
          <form noValidate onSubmit={onCreate} aria-labelledby="msg-cred-new-title">
            <ErrorSummary errors={form.errors} />
            <TextField
              id="msg-cred-label"
              label={t('messagingPro.credentials.label')}
              hint={t('messagingPro.credentials.labelHint')}
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              error={form.errorFor('msg-cred-label')}
              maxLength={100}
              autoComplete="off"
            />
            {mailboxes.length > 1 && (
              <Field
                id="msg-cred-address"
                label={t('messagingPro.credentials.address')}
                control={(aria) => (
                  <select id="msg-cred-address" {...aria} value={chosenAddress} onChange={(e) => setAddress(e.target.value)}>
                    {mailboxes.map((m) => (
                      <option key={m.address} value={m.address}>
                        {m.display && m.display !== m.address ? `${m.display} (${m.address})` : m.address}
                      </option>
                    ))}
                  </select>
                )}
              />
            )}
            <SubmitButton pending={form.pending}>{t('messagingPro.credentials.create')}</SubmitButton>
          </form>
        </div>
      ) : (
        <p className="hint">{t('messagingPro.credentials.noMailbox')}</p>
      )}
    </section>
  );
}
