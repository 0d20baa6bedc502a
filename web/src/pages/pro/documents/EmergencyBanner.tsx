import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { emergencyUntil } from './labels';
import { useProDocuments } from './useDmpPro';

/**
 * "Accès en urgence jusqu'à HH:MM": shown at the top of the patient's page while an emergency access of this
 * professional runs (the API gives it with the documents list). Focusable, so that the page can move the
 * focus to it once the glass is broken.
 */
export function EmergencyBanner({ patientId, enabled, focus = false }: { patientId: string; enabled: boolean; /** Take the focus when it appears (the glass was just broken). */ focus?: boolean }) {
  const { t } = useTranslation();
  const documents = useProDocuments(patientId, enabled);
  const emergency = documents.data?.emergency;
  const ref = useRef<HTMLDivElement>(null);
  const shown = Boolean(emergency);
  useEffect(() => {
    if (focus && shown) ref.current?.focus();
  }, [focus, shown]);
  if (!emergency) return null;
  return (
    <div id="emergency-banner" ref={ref} className="alert alert--error" tabIndex={-1}>
      <p>
        <strong>{emergencyUntil(t, emergency.endsAt)}</strong>
      </p>
      <p style={{ fontWeight: 400, marginBottom: 0 }}>
        {t(emergency.purpose === 'ETREAT' ? 'dmpPro.emergency.bannerSamu' : 'dmpPro.emergency.bannerBtg')}
      </p>
    </div>
  );
}
