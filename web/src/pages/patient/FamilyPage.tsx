import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { apiDelete, apiPost, errorMessage } from '../../api';
import { useActing } from '../../acting';
import { PageHeading } from '../../components/PageHeading';
import { StatusMessage } from '../../components/StatusMessage';
import { CarersSection } from './family/CarersSection';
import { ChildrenSection } from './family/ChildrenSection';
import { HelpedSection } from './family/HelpedSection';
import { InvitationsSection } from './family/InvitationsSection';

export type DelegationAction = (kind: 'accept' | 'refuse' | 'revoke', id: string) => Promise<void>;

/** /patient/famille: children and second legal representative, carers, helped persons, invitations. */
export function FamilyPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { isCarer, isSelf } = useActing();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const act: DelegationAction = async (kind, id) => {
    setStatus(null);
    const path = `/api/delegations/${encodeURIComponent(id)}`;
    try {
      if (kind === 'revoke') await apiDelete(path);
      else await apiPost(`${path}/${kind}`);
      const done = { accept: 'family.accepted', refuse: 'family.refused', revoke: 'family.revoked' }[kind];
      setStatus({ ok: true, text: t(done) });
    } catch (error) {
      setStatus({ ok: false, text: errorMessage(error) });
    }
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: ['delegations'] }),
      queryClient.invalidateQueries({ queryKey: ['family'] }),
      queryClient.invalidateQueries({ queryKey: ['me'] }), // the list of profiles may change
    ]);
  };

  return (
    <>
      <PageHeading title={t('family.title')} />
      <StatusMessage>
        {status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}
      </StatusMessage>
      {isCarer && <p className="alert alert--info">{t('family.carerNote')}</p>}
      <ChildrenSection canManage={!isCarer} />
      <CarersSection canManage={!isCarer} canInvite={isSelf} onAction={act} />
      <HelpedSection onAction={act} />
      <InvitationsSection onAction={act} />
    </>
  );
}
