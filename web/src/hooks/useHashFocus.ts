import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useLocation } from 'react-router';

const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};
const hashOfAddress = (): string => window.location.hash;

/** The id a hash names ('#list-exam-09' → 'list-exam-09'); as is when it is not valid percent-encoding. */
function idOfHash(hash: string): string {
  try {
    return decodeURIComponent(hash.slice(1));
  } catch {
    return hash.slice(1);
  }
}

/**
 * Moves the focus to the target of the address's hash once the page's content is there: a link to one element
 * (the agenda's /patient/prevention#list-exam-09, the vaccination calendar's #vaccine-dtp-45y) focuses the
 * element whose id is the hash followed by `-title` (a heading with tabIndex={-1}) and scrolls it into view.
 * Runs after a route change (the router's location) and after an in-page link (the browser's hashchange), once
 * per hash. `ready` is false while the content is loading.
 */
export function useHashFocus(ready: boolean): void {
  useLocation(); // re-render on the router's navigations (they do not fire hashchange)
  const hash = useSyncExternalStore(subscribe, hashOfAddress);
  const focused = useRef<string | null>(null);

  useEffect(() => {
    if (!ready || !hash || focused.current === hash) return;
    // after the layout has focused the h1 on a route change (its effect runs after this one)
    const timer = window.setTimeout(() => {
      focused.current = hash;
      const title = document.getElementById(`${idOfHash(hash)}-title`);
      title?.scrollIntoView({ block: 'start' });
      title?.focus();
    }, 0);
    return () => window.clearTimeout(timer);
  }, [ready, hash]);
}
