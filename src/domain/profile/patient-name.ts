type Json = Record<string, unknown>;

/**
 * The name a document gives a Patient: its usual name, else its official one, else the first; the name's text
 * when it has one, else the given names and the family name in capitals ("Lina MOREAU"); "Patient" when none.
 * Pure.
 */
export function patientName(patient: Json): string {
  const names = Array.isArray(patient.name) ? (patient.name as Json[]) : [];
  const name = names.find((n) => n.use === 'usual') ?? names.find((n) => n.use === 'official') ?? names[0] ?? {};
  if (typeof name.text === 'string' && name.text.trim()) return name.text.trim();
  const given = Array.isArray(name.given) ? (name.given as string[]).join(' ') : '';
  const family = typeof name.family === 'string' ? name.family.toLocaleUpperCase('fr-FR') : '';
  return `${given} ${family}`.trim() || 'Patient';
}
