import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import type { SendResult } from '../../../messaging-types';
import { ConversationRow } from '../../messages-common/ConversationRow';
import { Pager } from '../../messages-common/Pager';
import { useAnnouncer } from '../../messages-common/useAnnouncer';
import { PRO_MESSAGES_KEY } from '../../messages-common/messagingApi';
import { Credentials } from './Credentials';
import { ProConversation } from './ProConversation';
import { PRO_PAGE_SIZE, useProInbox } from './useProMessages';
import { WriteToColleague } from './WriteToColleague';
import { WriteToPatient } from './WriteToPatient';

export const proConversationUrl = (patientId: string, conversationId: string) =>
  `/pro/messages/${encodeURIComponent(conversationId)}?${new URLSearchParams({ patient: patientId }).toString()}`;

/**
 * /pro/messages and /pro/messages/:conversationId?patient=…, the professional's secure messaging: their
 * mailboxes, the conversations with patients (50 per page), one conversation, writing to a patient or a
 * colleague, and the passwords for a mail client.
 */
export function ProInboxPage() {
  const { t } = useTranslation();
  const { conversationId } = useParams();
  const [params] = useSearchParams();
  const patientId = params.get('patient') ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const inbox = useProInbox(page);
  const { announce, statusMessage } = useAnnouncer();

  const data = inbox.data;
  const mailboxes = data?.mailboxes ?? [];

  const afterNew = async (patient: string, result: SendResult | undefined, ended: boolean) => {
    await queryClient.invalidateQueries({ queryKey: [PRO_MESSAGES_KEY] });
    const text = t(ended ? 'messagingPro.done.sentAndEnded' : 'messaging.done.sent');
    if (result?.conversationId) void navigate(proConversationUrl(patient, result.conversationId), { state: { status: text } });
    else announce(text);
  };

  return (
    <>
      <PageHeading title={t('messagingPro.title')} />
      {inbox.isError && !data ? (
        <QueryError error={inbox.error} />
      ) : data ? (
        mailboxes.length > 0 ? (
          <p className="msg-address">
            {t('messagingPro.mailboxes', { count: mailboxes.length })}{' '}
            <strong className="msg-address__value">{mailboxes.map((m) => m.address).join(', ')}</strong>
          </p>
        ) : (
          <p className="note">{t('messagingPro.noMailbox')}</p>
        )
      ) : null}
      {statusMessage}

      {conversationId ? (
        patientId ? (
          <ProConversation key={`${patientId}-${conversationId}`} patientId={patientId} conversationId={conversationId} announce={announce} />
        ) : (
          <p className="alert alert--error" role="alert">
            {t('messagingPro.conversation.noPatient')}
          </p>
        )
      ) : (
        <>
          <section aria-labelledby="msg-list-title" className="panel">
            <h2 id="msg-list-title" tabIndex={-1}>
              {t('messagingPro.list.title')}
            </h2>
            {inbox.isPending ? (
              <Loading />
            ) : inbox.isError ? (
              <QueryError error={inbox.error} />
            ) : (
              <>
                <p className="meta" aria-live="polite">
                  {inbox.isFetching && inbox.isPlaceholderData ? t('common.loading') : t('messaging.list.count', { count: data!.total })}
                </p>
                {data!.items.length === 0 ? (
                  <p>{t('messagingPro.list.empty')}</p>
                ) : (
                  <ul className="plain-list msg-list">
                    {data!.items.map((c) => (
                      <ConversationRow key={`${c.patient.id}-${c.id}`} c={c} to={proConversationUrl(c.patient.id, c.id)} patient={c.patient.display} />
                    ))}
                  </ul>
                )}
                <Pager
                  label={t('messaging.pager.label')}
                  page={data!.page}
                  pageSize={data!.pageSize || PRO_PAGE_SIZE}
                  total={data!.total}
                  onPage={(p) => {
                    setPage(p);
                    document.getElementById('msg-list-title')?.focus();
                  }}
                />
              </>
            )}
          </section>
          <WriteToPatient onSent={afterNew} />
          <WriteToColleague onSent={(text) => announce(text)} />
          <Credentials mailboxes={mailboxes} />
        </>
      )}
    </>
  );
}
