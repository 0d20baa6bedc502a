/** The patient's documents (placeholder wiring; the page is being written). */
export function DocumentsPage() {
  return null;
}
