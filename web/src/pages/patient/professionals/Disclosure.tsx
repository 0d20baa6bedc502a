import { useId, useState } from 'react';
import type { ReactNode } from 'react';

/** A button that shows or hides a block (aria-expanded); the block is rendered only while open. */
export function Disclosure({
  label,
  children,
  onToggle,
}: {
  label: ReactNode;
  children: () => ReactNode;
  onToggle?: (open: boolean) => void;
}) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <div className="disclosure">
      <button
        type="button"
        className="button button--link"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => {
          setOpen(!open);
          onToggle?.(!open);
        }}
      >
        {label}
      </button>
      <div id={id} hidden={!open}>
        {open && children()}
      </div>
    </div>
  );
}
