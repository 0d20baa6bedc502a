/**
 * `patient_id` columns are text (FHIR ids), `insured.id` is a uuid. Joining them by casting the uuid to text
 * would scan the whole population; this casts the text side instead, and only when it is a uuid, so the
 * join uses insured's primary key.
 */
export function textAsUuid(expression: string): string {
  return `CASE WHEN ${expression} ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${expression})::uuid END`;
}
