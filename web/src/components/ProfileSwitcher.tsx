import { useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { profileName, useActing } from '../acting';
import { relationLabel } from './ActingBanner';

/** Chooses the acting profile among the account's profiles (own, children, helped persons). */
export function ProfileSwitcher() {
  const { t } = useTranslation();
  const { profiles, actingId, setActing } = useActing();
  const [selected, setSelected] = useState(actingId);

  if (profiles.length < 2) return null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (selected) setActing(selected);
  };

  return (
    <form className="profile-switcher" onSubmit={onSubmit} aria-label={t('acting.switcherTitle')}>
      <label htmlFor="acting-profile">{t('acting.switcherLabel')}</label>
      <div className="inline-controls">
        <select id="acting-profile" value={selected} onChange={(e) => setSelected(e.target.value)}>
          {profiles.map((p) => (
            <option key={p.patientId} value={p.patientId}>
              {t('acting.option', { name: profileName(p), relation: relationLabel(t, p.relation) })}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--secondary">
          {t('acting.switch')}
        </button>
      </div>
    </form>
  );
}
