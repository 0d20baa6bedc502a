import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { SignOutButton } from './SignOutButton';

export interface NavItem {
  to: string;
  label: string;
  /** Match the path exactly (the space's home). */
  end?: boolean;
}

export type Space = 'public' | 'patient' | 'admin' | 'pro';

/** The page frame: skip link, header with the Carnet name and the space's navigation, main, footer. */
export function AppShell({
  space,
  nav,
  signedIn = false,
  children,
}: {
  space: Space;
  nav: NavItem[];
  signedIn?: boolean;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <div className={`app app--${space}`}>
      <a className="skip-link" href="#main">
        {t('shell.skipLink')}
      </a>
      <header className="site-header">
        <div className="container site-header__bar">
          <Link to="/" className="brand">
            <span className="brand__name">{t('app.name')}</span>
            <span className="brand__space">{t(`shell.spaces.${space}`)}</span>
          </Link>
          {signedIn && <SignOutButton />}
        </div>
        <nav className="site-nav" aria-label={t('shell.mainNav')}>
          <ul className="container site-nav__list">
            {nav.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end} className="site-nav__link">
                  {item.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main id="main" tabIndex={-1} className="container site-main">
        {children}
      </main>
      <footer className="site-footer">
        <div className="container">
          <p>{t('shell.footer')}</p>
        </div>
      </footer>
    </div>
  );
}
