import { useTranslation } from 'react-i18next';
import { Loading, QueryError } from '../../../components/QueryState';
import { useDelegations } from '../../../hooks/usePatientData';
import { helpedName } from '../../../people';
import type { DelegationAction } from '../FamilyPage';
import { RevocableList } from './RevocableList';

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
        <RevocableList delegations={helped} nameOf={helpedName} canRevoke onAction={onAction} />
      )}
    </section>
  );
}
