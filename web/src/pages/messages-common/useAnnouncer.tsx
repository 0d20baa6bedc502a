import { useCallback, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { StatusMessage } from '../../components/StatusMessage';

/**
 * The status line of an inbox: `announce` says what an action did (in the live region, re-announced even when the
 * text repeats), and a status handed over by the page that navigated here (`navigate(url, { state: { status } })`)
 * is said once, then dropped from the history entry.
 */
export function useAnnouncer() {
  const location = useLocation();
  const navigate = useNavigate();
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);

  const announce = useCallback((text: string, ok = true) => {
    setStatus(null);
    window.setTimeout(() => setStatus({ ok, text }), 30);
  }, []);

  useEffect(() => {
    const handed = (location.state as { status?: string } | null)?.status;
    if (handed) {
      announce(handed);
      void navigate(`${location.pathname}${location.search}`, { replace: true, state: null });
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [location.state]);

  const statusMessage = <StatusMessage>{status && <span className={status.ok ? 'text-success' : 'text-error'}>{status.text}</span>}</StatusMessage>;
  return { announce, statusMessage };
}
