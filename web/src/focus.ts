/**
 * Focus management on navigation: after a route change the page's h1 takes the focus. When the h1 is not
 * rendered yet (data still loading), the request waits for the next PageHeading to mount.
 */
let pending = false;

export function focusPageHeading(): void {
  const heading = document.querySelector<HTMLElement>('main h1');
  if (heading) {
    pending = false;
    heading.focus();
  } else {
    pending = true;
  }
}

/** True once if a route change is waiting for a heading to focus. */
export function takeHeadingFocusRequest(): boolean {
  const was = pending;
  pending = false;
  return was;
}
