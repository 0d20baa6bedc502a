import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { PageHeading } from '../../../components/PageHeading';
import { useProMe } from '../usePro';
import { ChatRoomView } from './ChatRoomView';
import { NewRoomForm } from './NewRoomForm';
import { RoomList } from './RoomList';
import type { ChatEvent } from './types';
import { CHAT_KEY } from './useChat';
import { useChatSocket, type SocketState } from './useChatSocket';

/**
 * /pro/discussions and /pro/discussions/:roomId: the professionals' instant messaging (docs/chat.md). One
 * WebSocket for the page brings notifications; the rooms list and the open room fetch what is new.
 */
export function ChatPage() {
  const { roomId } = useParams();
  const queryClient = useQueryClient();
  const me = useProMe().data?.practitionerId;
  const listeners = useRef(new Set<(e: ChatEvent) => void>());

  const state = useChatSocket((event) => {
    if (event.type !== 'pong') void queryClient.invalidateQueries({ queryKey: [CHAT_KEY, 'rooms'] });
    for (const listener of listeners.current) listener(event);
  });

  const subscribe = useCallback((listener: (e: ChatEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);

  return roomId ? (
    <ChatRoomView key={roomId} roomId={roomId} me={me} subscribe={subscribe} connection={<ConnectionState state={state} />} />
  ) : (
    <RoomsHome me={me} state={state} />
  );
}

function RoomsHome({ me, state }: { me: string | undefined; state: SocketState }) {
  const { t } = useTranslation();
  return (
    <>
      <PageHeading title={t('chat.title')} />
      <p>{t('chat.intro')}</p>
      <ConnectionState state={state} />
      <RoomList me={me} />
      <NewRoomForm me={me} />
    </>
  );
}

function ConnectionState({ state }: { state: SocketState }) {
  const { t } = useTranslation();
  return <p className="meta" data-connection={state}>{t(`chat.connection.${state}`)}</p>;
}
