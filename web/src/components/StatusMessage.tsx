import type { ReactNode } from 'react';

/** A polite live region for the outcome of an action (always rendered, so that changes are announced). */
export function StatusMessage({ children }: { children?: ReactNode }) {
  return (
    <div role="status" className={children ? 'status-message' : 'status-message status-message--empty'}>
      {children}
    </div>
  );
}
