import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isStatus } from '../../../api';
import { ErrorSummary } from '../../../components/ErrorSummary';
import { PageHeading } from '../../../components/PageHeading';
import { Loading, QueryError } from '../../../components/QueryState';
import { StatusMessage } from '../../../components/StatusMessage';
import { SubmitButton } from '../../../components/SubmitButton';
import { TextAreaField } from '../../../components/TextAreaField';
import { formatDateTime, isoOrUndefined } from '../../../format';
import { useSubmit, type FieldError } from '../../../hooks/useSubmit';
import { PatientIdentity } from '../PatientIdentity';
import { ColleaguePicker } from './ColleaguePicker';
import { addMembers, CHAT_KEY, fetchHistory, markRead, mergeMessages, postMessage, REFETCH_MS } from './useChat';
import type { ChatEvent, ChatMember, ChatMessage, ChatRoom } from './types';

const MAX_BODY = 4000;
/** At most this many characters of a new message are read out by the live region. */
const ANNOUNCED = 200;

/**
 * One room: its participants (and patient), its messages oldest first with "older messages" on demand, a
 * polite live region announcing new messages, and the message form. New messages are fetched after the last
 * number shown: on each notification of the socket, at each (re)connection and every 30 seconds.
 */
export function ChatRoomView({
  roomId,
  me,
  subscribe,
  connection,
}: {
  roomId: string;
  me: string | undefined;
  subscribe: (listener: (e: ChatEvent) => void) => () => void;
  /** The state of the live connection, shown under the heading. */
  connection: ReactNode;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [room, setRoom] = useState<ChatRoom | null>(null);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [announcement, setAnnouncement] = useState('');
  const lastSeq = useRef(0);
  const loaded = useRef(false);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const meRef = useRef(me);
  meRef.current = me;

  const announce = useCallback(
    (fresh: ChatMessage[]) => {
      const others = fresh.filter((m) => m.authorId !== meRef.current);
      if (others.length === 1) {
        const m = others[0]!;
        setAnnouncement(t('chat.room.newMessage', { author: m.authorName, body: m.body.slice(0, ANNOUNCED) }));
      } else if (others.length > 1) {
        setAnnouncement(t('chat.room.newMessages', { count: others.length }));
      }
    },
    [t],
  );

  /** Fetches every message after the last one shown, page by page; one run at a time, re-run if asked meanwhile. */
  const catchUp = useCallback((): Promise<void> => {
    if (!loaded.current) return Promise.resolve();
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const work = (async () => {
      do {
        again.current = false;
        let more = true;
        while (more) {
          const page = await fetchHistory(roomId, { after: lastSeq.current, limit: 200 });
          setRoom(page.room);
          if (page.messages.length > 0) {
            lastSeq.current = page.messages[page.messages.length - 1]!.seq;
            setMessages((current) => mergeMessages(current, page.messages));
            announce(page.messages);
          }
          more = page.hasMore;
        }
      } while (again.current);
    })();
    running.current = work
      .catch((err: unknown) => {
        // lost access (403) or the room (404): shown; a network error: the next notification or poll retries
        if (isStatus(err, 403) || isStatus(err, 404)) setLoadError(err);
      })
      .finally(() => {
        running.current = null;
      });
    return running.current;
  }, [roomId, announce]);

  // the latest page when the room opens
  useEffect(() => {
    const controller = new AbortController();
    loaded.current = false;
    lastSeq.current = 0;
    setRoom(null);
    setMessages([]);
    setLoadError(null);
    setAnnouncement('');
    fetchHistory(roomId, {}, controller.signal)
      .then((page) => {
        setRoom(page.room);
        setMessages(page.messages);
        setHasOlder(page.hasMore);
        lastSeq.current = page.messages.length ? page.messages[page.messages.length - 1]!.seq : 0;
        loaded.current = true;
        // anything posted between the page and the socket's ready is caught up at once
        void catchUp();
      })
      .catch((err: unknown) => {
        if (!controller.signal.aborted) setLoadError(err);
      });
    return () => controller.abort();
  }, [roomId, catchUp]);

  // the socket's notifications, and a poll for what another process may not have notified
  useEffect(() => {
    const unsubscribe = subscribe((event) => {
      if (event.type === 'ready') void catchUp();
      else if ((event.type === 'message' && event.roomId === roomId && event.seq > lastSeq.current) || (event.type === 'room' && event.roomId === roomId)) {
        void catchUp();
      }
    });
    const poll = setInterval(() => void catchUp(), REFETCH_MS);
    return () => {
      unsubscribe();
      clearInterval(poll);
    };
  }, [subscribe, catchUp, roomId]);

  // what is shown is read
  const shownSeq = messages.length ? messages[messages.length - 1]!.seq : 0;
  const readSeq = room?.lastReadSeq ?? 0;
  useEffect(() => {
    if (!room || shownSeq <= readSeq) return;
    markRead(roomId, shownSeq)
      .then((r) => {
        setRoom((current) => (current ? { ...current, lastReadSeq: r.lastReadSeq, unread: r.unread } : current));
        void queryClient.invalidateQueries({ queryKey: [CHAT_KEY, 'rooms'] });
      })
      .catch(() => undefined);
  }, [roomId, room, shownSeq, readSeq, queryClient]);

  const loadOlder = async () => {
    const first = messages[0];
    if (!first) return;
    try {
      const page = await fetchHistory(roomId, { before: first.seq });
      setMessages((current) => mergeMessages(current, page.messages));
      setHasOlder(page.hasMore);
    } catch (err) {
      setLoadError(err);
    }
  };

  const back = (
    <p>
      <Link to="/pro/discussions">{t('chat.room.back')}</Link>
    </p>
  );

  if (loadError && !room) {
    return (
      <>
        <PageHeading title={t('chat.title')} />
        {back}
        <QueryError error={loadError} />
      </>
    );
  }
  if (!room) return <Loading />;

  return (
    <>
      <PageHeading title={room.title} />
      {back}
      {connection}
      <section aria-labelledby="chat-members-title">
        <h2 id="chat-members-title">{t('chat.room.members')}</h2>
        <ul>
          {room.members.map((m) => (
            <li key={m.practitionerId}>
              {m.name}
              {m.practitionerId === me && <span className="meta"> ({t('chat.room.you')})</span>}
            </li>
          ))}
        </ul>
      </section>
      {room.patientIdentity && (
        <section aria-labelledby="chat-patient-title">
          <h2 id="chat-patient-title">{t('chat.room.patient')}</h2>
          <PatientIdentity patient={room.patientIdentity} />
        </section>
      )}
      {loadError !== null && <QueryError error={loadError} />}
      <section aria-labelledby="chat-messages-title">
        <h2 id="chat-messages-title">{t('chat.room.messages')}</h2>
        {hasOlder && (
          <button type="button" className="button button--secondary button--small" onClick={() => void loadOlder()}>
            {t('chat.room.older')}
          </button>
        )}
        {messages.length === 0 ? (
          <p>{t('chat.room.empty')}</p>
        ) : (
          <ol className="plain-list" aria-labelledby="chat-messages-title">
            {messages.map((m) => (
              <li key={m.seq} className="card">
                <p className="meta">
                  <strong>{m.authorId === me ? t('chat.room.you') : m.authorName}</strong>{' '}
                  <time dateTime={isoOrUndefined(m.sentAt)}>{t('chat.room.sentAt', { date: formatDateTime(m.sentAt) })}</time>
                </p>
                <p style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>{m.body}</p>
              </li>
            ))}
          </ol>
        )}
        <div aria-live="polite" aria-atomic="true" className="visually-hidden" data-testid="chat-announcer">
          {announcement}
        </div>
      </section>
      {loadError === null && <MessageForm roomId={roomId} onSent={catchUp} />}
      {loadError === null && <AddMembers room={room} me={me} onAdded={(r) => setRoom((current) => (current ? { ...current, members: r.members } : current))} />}
    </>
  );
}

function MessageForm({ roomId, onSent }: { roomId: string; onSent: () => Promise<void> }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const { errors, pending, run, errorFor } = useSubmit((code) => (code.startsWith('chat.body') ? 'chat-message' : undefined));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const text = body.trim();
    const invalid: FieldError[] = [];
    if (!text) invalid.push({ field: 'chat-message', message: t('chat.room.bodyRequired') });
    else if (text.length > MAX_BODY) invalid.push({ field: 'chat-message', message: t('chat.room.bodyTooLong') });
    await run(invalid, async () => {
      await postMessage(roomId, text);
      setBody('');
      // the message comes back with the others after the last number shown: none is skipped
      await onSent();
    });
  };

  return (
    <form noValidate onSubmit={onSubmit} aria-label={t('chat.room.send')}>
      <ErrorSummary errors={errors} />
      <TextAreaField
        id="chat-message"
        label={t('chat.room.message')}
        hint={t('chat.room.messageHint')}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        error={errorFor('chat-message')}
        maxLength={MAX_BODY}
      />
      <SubmitButton pending={pending}>{t('chat.room.send')}</SubmitButton>
    </form>
  );
}

function AddMembers({ room, me, onAdded }: { room: ChatRoom; me: string | undefined; onAdded: (room: ChatRoom) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [selected, setSelected] = useState<ChatMember[]>([]);
  const [done, setDone] = useState('');
  const { errors, pending, run, errorFor } = useSubmit((code) => (code.startsWith('chat.member') || code === 'chat.too-many-members' ? 'chat-add-search' : undefined));

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    const invalid: FieldError[] = selected.length === 0 ? [{ field: 'chat-add-search', message: t('chat.create.membersRequired') }] : [];
    const ok = await run(invalid, async () => onAdded(await addMembers(room.id, selected.map((m) => m.practitionerId))));
    if (ok) {
      setSelected([]);
      setOpen(false);
      setDone(t('chat.room.membersAdded'));
    }
  };

  return (
    <section aria-labelledby="chat-add-title">
      <h2 id="chat-add-title">{t('chat.room.addMembers')}</h2>
      <StatusMessage>{done}</StatusMessage>
      <button type="button" className="button button--secondary" aria-expanded={open} aria-controls="chat-add-form" onClick={() => setOpen((o) => !o)}>
        {open ? t('chat.create.hide') : t('chat.room.addMembers')}
      </button>
      {open && (
        <form id="chat-add-form" noValidate onSubmit={onSubmit} aria-labelledby="chat-add-title">
          <ErrorSummary errors={errors} />
          <ColleaguePicker
            idPrefix="chat-add"
            selected={selected}
            onChange={setSelected}
            exclude={[...(me ? [me] : []), ...room.members.map((m) => m.practitionerId)]}
            error={errorFor('chat-add-search')}
          />
          <SubmitButton pending={pending}>{t('chat.room.addSubmit')}</SubmitButton>
        </form>
      )}
    </section>
  );
}
