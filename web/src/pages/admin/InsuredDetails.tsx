import type { TFunction } from 'i18next';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatCivilDate, formatDateTime } from '../../format';
import type { Insured } from '../../types';
import { TableScroller } from '../../components/TableScroller';

const stateLabel = (t: TFunction, state: string | null | undefined): string =>
  state ? t(`states.${state}`, { defaultValue: state }) : '—';

/** Who made a transition: 'carnet', 'import:<id>', 'user:<id>'. */
function actorLabel(t: TFunction, actor: string | undefined): string {
  if (!actor) return '';
  if (actor === 'carnet') return t('admin.actors.carnet');
  if (actor.startsWith('import:')) return t('admin.actors.import');
  if (actor.startsWith('user:')) return t('admin.actors.user', { id: actor.slice(5, 13) });
  return actor;
}

/** Administrative data and the lifecycle history of one insured person (no health data). */
export function InsuredDetails({ insured }: { insured: Insured }) {
  const { t } = useTranslation();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [insured.id]);
  // Newest first.
  const events = [...(insured.events ?? [])].sort((a, b) => (b.at ?? '').localeCompare(a.at ?? ''));
  const channel = insured.noticeChannel;

  return (
    <section aria-labelledby="insured-title" className="panel">
      <h2 id="insured-title" ref={heading} tabIndex={-1}>
        {insured.givenName} {insured.familyName}
      </h2>
      <h3>{t('admin.adminData')}</h3>
      <dl className="details">
        <dt>{t('fields.nir')}</dt>
        <dd>{insured.nir}</dd>
        <dt>{t('admin.familyName')}</dt>
        <dd>{insured.familyName}</dd>
        <dt>{t('admin.givenName')}</dt>
        <dd>{insured.givenName}</dd>
        <dt>{t('fields.birthDate')}</dt>
        <dd>{formatCivilDate(insured.birthDate)}</dd>
        <dt>{t('admin.state')}</dt>
        <dd>
          <strong>{stateLabel(t, insured.state)}</strong>
        </dd>
        <dt>{t('admin.stateSince')}</dt>
        <dd>{formatDateTime(insured.stateSince) || '—'}</dd>
        <dt>{t('admin.dueAt')}</dt>
        <dd>{formatDateTime(insured.dueAt) || '—'}</dd>
        <dt>{t('admin.noticeChannel')}</dt>
        <dd>{channel === 'email' || channel === 'letter' ? t(`admin.channels.${channel}`) : '—'}</dd>
        <dt>{t('admin.email')}</dt>
        <dd>{insured.email || '—'}</dd>
        <dt>{t('admin.accountLogin')}</dt>
        <dd>{insured.account?.login ?? '—'}</dd>
        <dt>{t('admin.objectionReference')}</dt>
        <dd>{insured.objectionReference ?? '—'}</dd>
      </dl>
      <TableScroller label={t('admin.historyCaption')}>
        <table>
          <caption>{t('admin.historyCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('admin.date')}</th>
              <th scope="col">{t('admin.from')}</th>
              <th scope="col">{t('admin.to')}</th>
              <th scope="col">{t('admin.actor')}</th>
              <th scope="col">{t('admin.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, i) => (
              <tr key={i}>
                <td>{formatDateTime(event.at)}</td>
                <td>{stateLabel(t, event.fromState ?? event.from)}</td>
                <td>{stateLabel(t, event.toState ?? event.to)}</td>
                <td>{actorLabel(t, event.actor)}</td>
                <td>{event.reason ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroller>
    </section>
  );
}
