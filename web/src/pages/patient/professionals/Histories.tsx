import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { TableScroller } from '../../../components/TableScroller';
import { formatDateTime, isoOrUndefined } from '../../../format';
import type { ProfessionalEntry } from '../../../types';
import { Disclosure } from './Disclosure';
import { changeText, formatShortDateTime, traceAction, traceOutcome } from './labels';
import { useAccesses } from './useProfessionals';

/** The dated changes of one professional's relation to the record, newest first. */
export function ChangesHistory({ entry, name }: { entry: ProfessionalEntry; name: string }) {
  const { t } = useTranslation();
  const changes = entry.changes ?? [];
  return (
    <Disclosure
      label={
        <>
          {t('professionals.history.changesShow', { count: changes.length })}
          <span className="visually-hidden"> : {name}</span>
        </>
      }
    >
      {() =>
        changes.length === 0 ? (
          <p>{t('professionals.history.changesEmpty')}</p>
        ) : (
          <ul className="plain-list" aria-label={t('professionals.history.changesTitle', { name })}>
            {changes.map((c, i) => (
              <li key={`${c.at}-${i}`}>
                <time dateTime={isoOrUndefined(c.at)}>{formatDateTime(c.at)}</time> : {changeText(t, c.change, c.detail)}
              </li>
            ))}
          </ul>
        )
      }
    </Disclosure>
  );
}

/** One professional's accesses to the record (refusals included), loaded when the disclosure opens. */
export function AccessHistory({ entry, name }: { entry: ProfessionalEntry; name: string }) {
  const { t } = useTranslation();
  return (
    <Disclosure
      label={
        <>
          {t('professionals.history.accessesShow')}
          <span className="visually-hidden"> : {name}</span>
        </>
      }
    >
      {() => <AccessTable practitionerId={entry.practitionerId} name={name} />}
    </Disclosure>
  );
}

function AccessTable({ practitionerId, name }: { practitionerId: string; name: string }) {
  const { t } = useTranslation();
  const accesses = useAccesses(practitionerId, true);
  if (accesses.isPending) return <Loading />;
  if (accesses.isError) return <QueryError error={accesses.error} />;
  if (accesses.data.length === 0) return <p>{t('professionals.history.accessesEmpty')}</p>;
  const caption = t('professionals.history.accessesCaption', { name });
  return (
    <TableScroller label={caption}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('professionals.traces.date')}</th>
            <th scope="col">{t('professionals.traces.action')}</th>
            <th scope="col">{t('professionals.traces.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {accesses.data.map((a, i) => (
            <tr key={`${a.at}-${i}`}>
              <td>
                <time dateTime={isoOrUndefined(a.at)} title={formatDateTime(a.at)}>{formatShortDateTime(a.at)}</time>
              </td>
              <td>{traceAction(t, a)}</td>
              <td>{a.outcome === 'refused' ? <strong>{traceOutcome(t, a)}</strong> : traceOutcome(t, a)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroller>
  );
}
