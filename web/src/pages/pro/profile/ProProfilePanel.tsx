/** Placeholder until the panel lands (issue 8): the allowed sections of the profile on the patient page. */
export function ProProfilePanel(_props: { patientId: string }) {
  return null;
}
