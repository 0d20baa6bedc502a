import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorMessage } from '../../api';
import type { AccessAnswer } from '../../types';
import { ConfirmBox } from '../patient/professionals/ConfirmBox';
import { PRO_KEY } from './usePro';

type Basis = 'consent' | 'care-team';

/** The i18n key of each basis under proSpace.declare. */
const KEY: Record<Basis, string> = { consent: 'consent', 'care-team': 'careTeam' };

/**
 * Where consent is needed: "J'ai recueilli le consentement du patient" or "Je fais partie de l'équipe de
 * soins", each confirmed after a reminder of the legal obligation, then recorded as a Consent in the record.
 */
export function DeclareAccess({
  patientId,
  name,
  onDeclared,
  headingLevel = 'h4',
}: {
  patientId: string;
  name: string;
  onDeclared: (access: AccessAnswer) => void;
  /** The level of the confirmation's heading, below the section it is in. */
  headingLevel?: 'h3' | 'h4';
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<Basis | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const idOf = (basis: Basis) => `declare-${basis}-${patientId}`;

  const declare = async (basis: Basis) => {
    setPending(true);
    setError(null);
    try {
      const result = await api<{ access: AccessAnswer }>(`/api/pro/patients/${encodeURIComponent(patientId)}/access`, {
        method: 'POST',
        body: { basis },
        acting: false,
      });
      setConfirming(null);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'access', patientId] }),
        queryClient.invalidateQueries({ queryKey: [PRO_KEY, 'activity'] }),
      ]);
      onDeclared(result.access);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setPending(false);
    }
  };

  const cancel = (basis: Basis) => {
    setConfirming(null);
    window.setTimeout(() => document.getElementById(idOf(basis))?.focus(), 0);
  };

  return (
    <div>
      <div className="button-group button-group--compact" role="group" aria-label={t('proSpace.declare.label', { name })}>
        {(['consent', 'care-team'] as const).map((basis) => (
          <button
            key={basis}
            id={idOf(basis)}
            type="button"
            className={basis === 'consent' ? 'button button--primary button--small' : 'button button--secondary button--small'}
            aria-expanded={confirming === basis}
            onClick={() => setConfirming(basis)}
          >
            {t(`proSpace.declare.${KEY[basis]}`)}
            <span className="visually-hidden"> : {name}</span>
          </button>
        ))}
      </div>
      {confirming && (
        <ConfirmBox
          key={confirming}
          title={t(`proSpace.declare.${KEY[confirming]}Title`)}
          confirmLabel={t('proSpace.declare.confirm')}
          variant="primary"
          headingLevel={headingLevel}
          pending={pending}
          onConfirm={() => void declare(confirming)}
          onCancel={() => cancel(confirming)}
        >
          <p>{t(`proSpace.declare.${KEY[confirming]}Text`, { name })}</p>
          <p>{t('proSpace.declare.traced')}</p>
        </ConfirmBox>
      )}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
