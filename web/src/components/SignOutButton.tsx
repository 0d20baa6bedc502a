import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { signOut } from '../auth';

export function SignOutButton() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState(false);

  const onClick = async () => {
    if (pending) return;
    setPending(true);
    await signOut();
    queryClient.clear();
    navigate('/', { state: { flash: 'signedOut' } });
  };

  return (
    <button type="button" className="button button--secondary button--small" onClick={onClick} aria-disabled={pending || undefined}>
      {t('common.signOut')}
    </button>
  );
}
