import { useTranslation } from 'react-i18next';
import { formatDate } from '../../../format';
import type { Delegation } from '../../../types';
import type { DelegationAction } from '../FamilyPage';

/** Active delegations, each with the other person's name, since when, and (when allowed) a revoke button. */
export function RevocableList({
  delegations,
  nameOf,
  canRevoke,
  onAction,
}: {
  delegations: Delegation[];
  nameOf: (d: Delegation) => string;
  canRevoke: boolean;
  onAction: DelegationAction;
}) {
  const { t } = useTranslation();
  return (
    <ul className="plain-list">
      {delegations.map((d) => {
        const name = nameOf(d);
        const since = d.startDate ?? d.decidedAt ?? d.createdAt;
        return (
          <li key={d.id} className="card card--row">
            <span>
              <strong>{name}</strong>
              {since && <> {t('family.since', { date: formatDate(since) })}</>}
            </span>
            {canRevoke && (
              <button
                type="button"
                className="button button--danger button--small"
                onClick={() => void onAction('revoke', d.id)}
              >
                {t('family.revoke')}
                <span className="visually-hidden"> : {name}</span>
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
