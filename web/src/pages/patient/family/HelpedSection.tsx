import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDate } from '../../../format';
import { useDelegations } from '../../../hooks/usePatientData';
import { helpedName } from '../../../people';
import type { DelegationAction } from '../FamilyPage';

/** The people I help as a carer; either side may revoke. */
export function HelpedSection({ onAction }: { onAction: DelegationAction }) {
  const { t } = useTranslation();
  const delegations = useDelegations();
  const helped = delegations.data?.helped ?? [];

  return (
    <section aria-labelledby="helped-title" className="panel">
      <h2 id="helped-title">{t('family.helpedTitle')}</h2>
      {delegations.isPending ? (
        <Loading />
      ) : delegations.isError ? (
        <QueryError error={delegations.error} />
      ) : helped.length === 0 ? (
        <p>{t('family.noHelped')}</p>
      ) : (
        <ul className="plain-list">
          {helped.map((d) => {
            const name = helpedName(d);
            const since = d.startDate ?? d.decidedAt ?? d.createdAt;
            return (
              <li key={d.id} className="card card--row">
                <span>
                  <strong>{name}</strong>
                  {since && <> {t('family.since', { date: formatDate(since) })}</>}
                </span>
                <button
                  type="button"
                  className="button button--danger button--small"
                  onClick={() => void onAction('revoke', d.id)}
                >
                  {t('family.revoke')}
                  <span className="visually-hidden"> : {name}</span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
