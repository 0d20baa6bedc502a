import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { apiDelete, apiPost, errorMessage } from '../../../api';
import { useActing } from '../../../acting';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDateTime, isoOrUndefined } from '../../../format';
import type { ConversationView, MessageView } from '../../../messaging-types';
import { MessageItem, messageElementId } from '../../messages-common/MessageItem';
import { PATIENT_MESSAGES_KEY, partyText } from '../../messages-common/messagingApi';
import { ConfirmBox } from '../professionals/ConfirmBox';
import { ComposeForm, type ComposeOutcome } from './ComposeForm';
import { FileAttachment } from './FileAttachment';
import { attachmentPath, conversationPath, useConversation } from './useMessages';

const focusLater = (...ids: string[]) =>
  window.setTimeout(() => {
    for (const id of ids) {
      const el = document.getElementById(id);
      if (el) {
        el.focus();
        return;
      }
    }
  }, 50);

/**
 * One conversation: its messages, oldest first (opening it marks them read), the end of the exchange when a
 * professional ended it, the drafts (edit, send, delete), the reply form, the trash.
 */
export function Conversation({ conversationId, announce }: { conversationId: string; announce: (text: string, ok?: boolean) => void }) {
  const { t } = useTranslation();
  const { actingId } = useActing();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const conversation = useConversation(conversationId);
  const [busy, setBusy] = useState(false);
  const listRefreshed = useRef(false);

  const refresh = () => queryClient.invalidateQueries({ queryKey: [PATIENT_MESSAGES_KEY, actingId] });

  // opening it marked its messages read: the list's counts change
  useEffect(() => {
    if (conversation.data && !listRefreshed.current) {
      listRefreshed.current = true;
      void queryClient.invalidateQueries({ queryKey: [PATIENT_MESSAGES_KEY, actingId, 'list'] });
    }
  }, [conversation.data, queryClient, actingId]);

  if (conversation.isPending) return <Loading />;
  if (conversation.isError)
    return (
      <>
        <QueryError error={conversation.error} />
        <p>
          <Link to="/patient/messages">{t('messaging.conversation.back')}</Link>
        </p>
      </>
    );
  const conv: ConversationView = conversation.data;
  const sent = conv.items.filter((m) => !m.draft);
  const drafts = conv.items.filter((m) => m.draft);
  const lastIn = [...sent].reverse().find((m) => m.direction === 'in');
  const replyAllOffered = Boolean(lastIn && lastIn.to.length + lastIn.cc.length > 1);

  const moveTo = async (folder: 'trash' | 'restore') => {
    if (busy) return;
    setBusy(true);
    try {
      await apiPost(`${conversationPath(conv.id)}/${folder}`);
      await refresh();
      const text = t(folder === 'trash' ? 'messaging.done.trashed' : 'messaging.done.restored', { subject: conv.subject });
      if (folder === 'trash') {
        void navigate('/patient/messages', { state: { status: text } });
      } else {
        announce(text);
        focusLater('msg-conversation-title');
      }
    } catch (e) {
      announce(errorMessage(e), false);
    } finally {
      setBusy(false);
    }
  };

  const afterCompose = async (o: ComposeOutcome) => {
    await refresh();
    if (o.draft) announce(t(o.mode === 'draft' ? 'messaging.done.draftUpdated' : 'messaging.done.draftSaved'));
    else announce(t('messaging.done.sent'));
    if (o.result?.messageId) focusLater(messageElementId({ id: o.result.messageId }, 'title'), 'msg-conversation-title');
    else focusLater('msg-conversation-title');
  };

  const attachmentActions = (m: MessageView, a: MessageView['attachments'][number]) =>
    m.direction === 'in' ? <FileAttachment message={m} attachment={a} onFiled={(text) => announce(text)} /> : null;

  return (
    <section aria-labelledby="msg-conversation-title" className="msg-conversation">
      <p>
        <Link to="/patient/messages" className="msg-back">
          {t('messaging.conversation.back')}
        </Link>
      </p>
      <h2 id="msg-conversation-title" tabIndex={-1}>
        {conv.subject || t('messaging.list.noSubject')}
      </h2>
      <p className="meta">
        {t('messaging.conversation.with', { names: conv.counterparts.map(partyText).join(', ') })}
        {conv.trashed && (
          <>
            {' · '}
            <strong>{t('messaging.conversation.inTrash')}</strong>
          </>
        )}
      </p>
      <div className="button-group button-group--compact">
        {conv.trashed ? (
          <button type="button" className="button button--secondary button--small" aria-disabled={busy || undefined} onClick={() => void moveTo('restore')}>
            {t('messaging.conversation.restore')}
          </button>
        ) : (
          <button type="button" className="button button--secondary button--small" aria-disabled={busy || undefined} onClick={() => void moveTo('trash')}>
            {t('messaging.conversation.trash')}
          </button>
        )}
      </div>

      <h3 className="visually-hidden">{t('messaging.conversation.messagesTitle', { count: sent.length })}</h3>
      <ol className="plain-list msg-thread">
        {sent.map((m) => (
          <MessageItem
            key={m.id}
            message={m}
            headingLevel="h4"
            attachmentPath={(msg, a) => attachmentPath(msg.conversationId, msg.id, a.index)}
            attachmentActions={attachmentActions}
          />
        ))}
      </ol>

      {conv.closed && (
        <div className="panel msg-closed" id="msg-closed">
          <p>
            <strong>{t('messaging.conversation.endedBy', { who: conv.closed.by.display || conv.closed.by.address })}</strong>{' '}
            <span className="meta">
              (<time dateTime={isoOrUndefined(conv.closed.at)}>{formatDateTime(conv.closed.at)}</time>)
            </span>
          </p>
          <p>{t('messaging.conversation.noReply')}</p>
        </div>
      )}
      {!conv.closed && !conv.canReply && (
        <div className="panel msg-closed">
          <p>{t('messaging.conversation.cannotReply')}</p>
        </div>
      )}

      {drafts.length > 0 && (
        <section aria-labelledby="msg-drafts-title">
          <h3 id="msg-drafts-title">{t('messaging.drafts.title', { count: drafts.length })}</h3>
          <ul className="plain-list">
            {drafts.map((d) => (
              <MessageItem key={d.id} message={d} headingLevel="h4" attachmentPath={(msg, a) => attachmentPath(msg.conversationId, msg.id, a.index)}>
                <DraftActions draft={d} canSend={conv.canReply || sent.length === 0} onDone={afterCompose} announce={announce} refresh={refresh} />
              </MessageItem>
            ))}
          </ul>
        </section>
      )}

      {conv.canReply && !conv.trashed && (
        <section aria-labelledby="msg-reply-title" className="panel">
          <h3 id="msg-reply-title" tabIndex={-1}>
            {t('messaging.compose.replyTitle')}
          </h3>
          <ComposeForm idPrefix="msg-reply" headingId="msg-reply-title" mode={{ kind: 'reply', conversationId: conv.id, replyAllOffered }} onDone={afterCompose} />
        </section>
      )}
    </section>
  );
}

function DraftActions({
  draft,
  canSend,
  onDone,
  announce,
  refresh,
}: {
  draft: MessageView;
  canSend: boolean;
  onDone: (o: ComposeOutcome) => Promise<void>;
  announce: (text: string, ok?: boolean) => void;
  refresh: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const [pending, setPending] = useState(false);
  const id = (part: string) => messageElementId(draft, part);

  const remove = async () => {
    if (pending) return;
    setPending(true);
    try {
      await apiDelete(`/api/messages/drafts/${encodeURIComponent(draft.id)}`);
      announce(t('messaging.done.draftDeleted'));
      await refresh();
      focusLater('msg-reply-title', 'msg-conversation-title');
    } catch (e) {
      announce(errorMessage(e), false);
    } finally {
      setPending(false);
    }
  };

  return (
    <div className="msg-draft-actions">
      <div className="button-group button-group--compact">
        {canSend && (
          <button id={id('edit')} type="button" className="button button--secondary button--small" aria-expanded={editing} onClick={() => setEditing(!editing)}>
            {t('messaging.drafts.edit')}
          </button>
        )}
        <button id={id('delete')} type="button" className="button button--danger button--small" aria-expanded={confirm} onClick={() => setConfirm(true)}>
          {t('messaging.drafts.delete')}
        </button>
      </div>
      {confirm && (
        <ConfirmBox
          title={t('messaging.drafts.deleteConfirmTitle')}
          confirmLabel={t('messaging.drafts.deleteConfirm')}
          headingLevel="h4"
          pending={pending}
          onConfirm={() => void remove()}
          onCancel={() => {
            setConfirm(false);
            focusLater(id('delete'));
          }}
        >
          <p>{t('messaging.drafts.deleteText')}</p>
        </ConfirmBox>
      )}
      {editing && (
        <div className="msg-draft-edit">
          <h5 id={id('edit-title')}>{t('messaging.drafts.editTitle')}</h5>
          <ComposeForm
            idPrefix={id('edit')}
            headingId={id('edit-title')}
            mode={{ kind: 'draft', draft }}
            onDone={async (o) => {
              setEditing(false);
              await onDone(o);
            }}
            onCancel={() => {
              setEditing(false);
              focusLater(id('edit'));
            }}
          />
        </div>
      )}
    </div>
  );
}
