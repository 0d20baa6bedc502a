import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage } from '../../../api';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDateTime, isoOrUndefined } from '../../../format';
import type { SendResult } from '../../../messaging-types';
import { MessageItem, messageElementId } from '../../messages-common/MessageItem';
import { PRO_MESSAGES_KEY, partyText } from '../../messages-common/messagingApi';
import { ConfirmBox } from '../../patient/professionals/ConfirmBox';
import { ProComposeForm } from './ProComposeForm';
import { proConversationPath, proPost, useProConversation } from './useProMessages';

export const focusLater = (...ids: string[]) =>
  window.setTimeout(() => {
    for (const id of ids) {
      const el = document.getElementById(id);
      if (el) {
        el.focus();
        return;
      }
    }
  }, 50);

/** A conversation with a patient, from the professional's side: the messages, the reply, the end of the exchange. */
export function ProConversation({ patientId, conversationId, announce }: { patientId: string; conversationId: string; announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const conversation = useProConversation(patientId, conversationId);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const [pending, setPending] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: [PRO_MESSAGES_KEY] });

  if (conversation.isPending) return <Loading />;
  if (conversation.isError)
    return (
      <>
        <QueryError error={conversation.error} />
        <p>
          <Link to="/pro/messages">{t('messaging.conversation.back')}</Link>
        </p>
      </>
    );
  const conv = conversation.data;
  const sent = conv.items.filter((m) => !m.draft);

  const end = async () => {
    if (pending) return;
    setPending(true);
    try {
      await proPost(`${proConversationPath(patientId, conversationId)}/end`);
      setConfirmEnd(false);
      await refresh();
      announce(t('messagingPro.done.ended'));
      focusLater('msg-pro-closed', 'msg-conversation-title');
    } catch (e) {
      announce(errorMessage(e), false);
    } finally {
      setPending(false);
    }
  };

  const afterReply = async (result: SendResult | undefined, ended: boolean) => {
    await refresh();
    announce(t(ended ? 'messagingPro.done.sentAndEnded' : 'messaging.done.sent'));
    if (result?.messageId) focusLater(messageElementId({ id: result.messageId }, 'title'), 'msg-conversation-title');
  };

  return (
    <section aria-labelledby="msg-conversation-title" className="msg-conversation">
      <p>
        <Link to="/pro/messages" className="msg-back">
          {t('messaging.conversation.back')}
        </Link>
      </p>
      <h2 id="msg-conversation-title" tabIndex={-1}>
        {conv.subject || t('messaging.list.noSubject')}
      </h2>
      <p className="meta">{t('messaging.conversation.with', { names: conv.counterparts.map(partyText).join(', ') })}</p>
      <h3 className="visually-hidden">{t('messaging.conversation.messagesTitle', { count: sent.length })}</h3>
      <ol className="plain-list msg-thread">
        {sent.map((m) => (
          <MessageItem
            key={m.id}
            message={m}
            headingLevel="h4"
            attachmentPath={(msg, a) => `${proConversationPath(patientId, conversationId)}/messages/${encodeURIComponent(msg.id)}/attachments/${a.index}`}
          />
        ))}
      </ol>
      {conv.closed ? (
        <div className="panel msg-closed" id="msg-pro-closed" tabIndex={-1}>
          <p>
            <strong>{t('messagingPro.conversation.ended', { who: conv.closed.by.display || conv.closed.by.address })}</strong>{' '}
            <span className="meta">
              (<time dateTime={isoOrUndefined(conv.closed.at)}>{formatDateTime(conv.closed.at)}</time>)
            </span>
          </p>
          <p>{t('messagingPro.conversation.endedExplanation')}</p>
        </div>
      ) : (
        <>
          <section aria-labelledby="msg-reply-title" className="panel">
            <h3 id="msg-reply-title">{t('messaging.compose.replyTitle')}</h3>
            <ProComposeForm idPrefix="msg-pro-reply" headingId="msg-reply-title" patientId={patientId} conversationId={conversationId} onDone={afterReply} />
          </section>
          <section aria-labelledby="msg-end-title" className="panel">
            <h3 id="msg-end-title">{t('messagingPro.conversation.endTitle')}</h3>
            <p>{t('messagingPro.conversation.endIntro')}</p>
            <button id="msg-end-open" type="button" className="button button--danger" aria-expanded={confirmEnd} onClick={() => setConfirmEnd(true)}>
              {t('messagingPro.conversation.end')}
            </button>
            {confirmEnd && (
              <ConfirmBox
                title={t('messagingPro.conversation.endConfirmTitle')}
                confirmLabel={t('messagingPro.conversation.endConfirm')}
                pending={pending}
                onConfirm={() => void end()}
                onCancel={() => {
                  setConfirmEnd(false);
                  focusLater('msg-end-open');
                }}
              >
                <p>{t('messagingPro.conversation.endText')}</p>
              </ConfirmBox>
            )}
          </section>
        </>
      )}
    </section>
  );
}
