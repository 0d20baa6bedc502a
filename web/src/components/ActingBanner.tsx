import { useTranslation } from 'react-i18next';
import { profileName, useActing } from '../acting';

/** "Vous agissez pour : …", on every page of the patient space; announced when it changes. */
export function ActingBanner() {
  const { t } = useTranslation();
  const { profile } = useActing();
  return (
    <div className="acting-banner" aria-live="polite">
      {profile && (
        <p>
          <strong>{t('acting.banner', { name: profileName(profile) })}</strong>{' '}
          <span className="acting-banner__relation">({relationLabel(t, profile.relation)})</span>
        </p>
      )}
    </div>
  );
}

export function relationLabel(t: (key: string) => string, relation: string): string {
  const known = ['self', 'parent', 'legal-representative', 'carer'];
  return t(`relations.${known.includes(relation) ? relation : 'other'}`);
}
