import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { formatDate } from '../../../format';
import { useDelegations } from '../../../hooks/usePatientData';
import { carerName, inviteeName } from '../../../people';
import type { DelegationAction } from '../FamilyPage';
import { InviteCarerForm } from './InviteCarerForm';
import { RevocableList } from './RevocableList';

/** My carers, the invitations I sent, and the form to invite one (hidden for a carer acting). */
export function CarersSection({
  canManage,
  canInvite,
  onAction,
}: {
  canManage: boolean;
  canInvite: boolean;
  onAction: DelegationAction;
}) {
  const { t } = useTranslation();
  const delegations = useDelegations();
  const carers = delegations.data?.carers ?? [];
  const sent = (delegations.data?.invitationsSent ?? []).filter((d) => !d.status || d.status === 'pending');

  return (
    <section aria-labelledby="carers-title" className="panel">
      <h2 id="carers-title">{t('family.carersTitle')}</h2>
      <p className="rules">{t('family.rules')}</p>
      <p>{t('family.carerRights')}</p>
      {delegations.isPending ? (
        <Loading />
      ) : delegations.isError ? (
        <QueryError error={delegations.error} />
      ) : (
        <>
          {carers.length === 0 ? (
            <p>{t('family.noCarers')}</p>
          ) : (
            <RevocableList delegations={carers} nameOf={carerName} canRevoke={canManage} onAction={onAction} />
          )}
          {sent.length > 0 && (
            <>
              <h3>{t('family.sentTitle')}</h3>
              <ul className="plain-list">
                {sent.map((d) => (
                  <li key={d.id} className="card">
                    <strong>{inviteeName(d)}</strong> — {t('family.statuses.pending')}
                    {d.expiresAt && <> · {t('family.expiresOn', { date: formatDate(d.expiresAt) })}</>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
      {canManage && (canInvite ? <InviteCarerForm /> : <p className="alert alert--info">{t('family.ownProfileOnly')}</p>)}
    </section>
  );
}
