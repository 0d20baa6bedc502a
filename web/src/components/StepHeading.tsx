import { useEffect, useRef } from 'react';

/** A step's h2 that takes the focus when the step appears (not for the first step of a page). */
export function StepHeading({ title, focusOnMount, id }: { title: string; focusOnMount: boolean; id?: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusOnMount) ref.current?.focus();
  }, [focusOnMount]);
  return (
    <h2 ref={ref} id={id} tabIndex={-1}>
      {title}
    </h2>
  );
}
