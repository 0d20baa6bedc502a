import type { ReactNode } from 'react';

/** Lets a wide table scroll sideways on small screens; focusable so that keyboard users can scroll it. */
export function TableScroller({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrapper" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
