import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDateTime, isoOrUndefined } from '../../../format';
import { useRooms } from './useChat';

/** The professional's rooms, the most recently active first, each with its unread count. */
export function RoomList({ me }: { me: string | undefined }) {
  const { t } = useTranslation();
  const rooms = useRooms();
  return (
    <section aria-labelledby="chat-rooms-title">
      <h2 id="chat-rooms-title">{t('chat.rooms.title')}</h2>
      {rooms.isPending ? (
        <Loading />
      ) : rooms.isError ? (
        <QueryError error={rooms.error} />
      ) : rooms.data.length === 0 ? (
        <p>{t('chat.rooms.empty')}</p>
      ) : (
        <ul className="cards">
          {rooms.data.map((room) => {
            const others = room.members.filter((m) => m.practitionerId !== me).map((m) => m.name);
            return (
              <li key={room.id} className={room.unread > 0 ? 'card notification--unread' : 'card'}>
                <h3>
                  <Link to={`/pro/discussions/${encodeURIComponent(room.id)}`}>{room.title}</Link>
                </h3>
                {room.unread > 0 && <p className="badge">{t('chat.rooms.unread', { count: room.unread })}</p>}
                {room.patient && <p className="meta">{t('chat.rooms.aboutPatient')}</p>}
                <p className="meta">{t('chat.rooms.members', { names: others.join(', ') })}</p>
                <p className="meta">
                  {room.lastAt ? (
                    <time dateTime={isoOrUndefined(room.lastAt)}>{t('chat.rooms.lastAt', { date: formatDateTime(room.lastAt) })}</time>
                  ) : (
                    t('chat.rooms.noMessage')
                  )}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
