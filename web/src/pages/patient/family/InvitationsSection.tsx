import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDate } from '../../../format';
import { useDelegations } from '../../../hooks/usePatientData';
import { inviterName } from '../../../people';
import type { DelegationAction } from '../FamilyPage';

/** Invitations received (to become a carer or a second legal representative): accept or refuse. */
export function InvitationsSection({ onAction }: { onAction: DelegationAction }) {
  const { t } = useTranslation();
  const delegations = useDelegations();
  const received = (delegations.data?.invitationsReceived ?? []).filter((d) => !d.status || d.status === 'pending');

  return (
    <section aria-labelledby="received-title" className="panel">
      <h2 id="received-title">{t('family.receivedTitle')}</h2>
      {delegations.isPending ? (
        <Loading />
      ) : delegations.isError ? (
        <QueryError error={delegations.error} />
      ) : received.length === 0 ? (
        <p>{t('family.noReceived')}</p>
      ) : (
        <ul className="plain-list">
          {received.map((d) => {
            const name = inviterName(d);
            const kind = d.kind === 'carer' || d.kind === 'legal-representative' ? d.kind : 'other';
            return (
              <li key={d.id} className="card">
                <p>
                  <strong>{name}</strong> {t(`family.invitationKinds.${kind}`)}
                  {d.expiresAt && <> · {t('family.expiresOn', { date: formatDate(d.expiresAt) })}</>}
                </p>
                <div className="button-group button-group--compact">
                  <button
                    type="button"
                    className="button button--primary button--small"
                    onClick={() => void onAction('accept', d.id)}
                  >
                    {t('family.accept')}
                    <span className="visually-hidden"> : {name}</span>
                  </button>
                  <button
                    type="button"
                    className="button button--secondary button--small"
                    onClick={() => void onAction('refuse', d.id)}
                  >
                    {t('family.refuse')}
                    <span className="visually-hidden"> : {name}</span>
                  </button>
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
