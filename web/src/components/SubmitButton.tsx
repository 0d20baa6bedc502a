import type { ReactNode } from 'react';

/** A submit button that stays focusable while the request runs (aria-disabled rather than disabled). */
export function SubmitButton({
  pending,
  children,
  variant = 'primary',
}: {
  pending: boolean;
  children: ReactNode;
  variant?: 'primary' | 'secondary' | 'danger';
}) {
  return (
    <button
      type="submit"
      className={`button button--${variant}`}
      aria-disabled={pending || undefined}
      onClick={(event) => {
        if (pending) event.preventDefault();
      }}
    >
      {children}
    </button>
  );
}
