import { useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router';
import { focusPageHeading } from '../focus';

/** Above every space: after each route change, scroll up and move the focus to the new page's h1. */
export function RootLayout() {
  const { pathname, search } = useLocation();
  const first = useRef(true);

  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    window.scrollTo(0, 0);
    focusPageHeading();
  }, [pathname, search]);

  return <Outlet />;
}
