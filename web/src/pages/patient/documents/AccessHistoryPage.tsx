/** The record's access history (placeholder wiring; the page is being written). */
export function AccessHistoryPage() {
  return null;
}
