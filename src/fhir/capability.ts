import { APPEND_ONLY_TYPES, SUPPORTED_TYPES } from './resource-types.js';
import { COLUMN_PARAMS, searchParams } from './search/definitions.js';

export interface CapabilityOptions {
  fhirBase: string;
  version: string;
  date: string;
}

/**
 * The CapabilityStatement at /fhir/metadata. Built from the same tables the router and the search parser
 * use, so that it says exactly what is supported.
 */
export function capabilityStatement(o: CapabilityOptions): Record<string, unknown> {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: o.date,
    publisher: 'Carnet',
    kind: 'instance',
    software: { name: 'Carnet', version: o.version },
    implementation: { description: 'Carnet personal health space FHIR R4 API', url: o.fhirBase },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'application/json'],
    rest: [
      {
        mode: 'server',
        security: {
          cors: false,
          description:
            'Every request except this CapabilityStatement carries Authorization: Bearer <JWT> signed by Carnet. ' +
            'Access follows the patient-space policy: patients and their representatives reach their own records.',
        },
        interaction: [
          { code: 'transaction', documentation: 'All or nothing; urn:uuid fullUrls resolved; conditional create, update and delete' },
          { code: 'batch', documentation: 'Each entry processed on its own' },
        ],
        resource: SUPPORTED_TYPES.map((type) => {
          // the append-only types (the audit trail) are written by Carnet itself, never through the API
          const appendOnly = APPEND_ONLY_TYPES.has(type);
          const dmp = DMP_INTERACTIONS[type];
          const interactions = dmp ?? ['read', 'vread', 'search-type', 'history-instance', 'history-type', ...(appendOnly ? [] : ['create', 'update', 'delete'])];
          const writable = !appendOnly && !dmp;
          const defs = type === 'Binary' ? [] : [...searchParams(type).values()];
          const params = [
            ...Object.entries(COLUMN_PARAMS).map(([name, p]) => ({ name, type: p.type, documentation: p.documentation })),
            ...defs.map((d) => ({ name: d.code, type: d.type, documentation: d.source === 'FHIR R4' ? d.documentation : `${d.source}: ${d.documentation}` })),
          ];
          const references = defs.filter((d) => d.type === 'reference');
          return {
            type,
            ...(DMP_DOCUMENTATION[type] ? { documentation: DMP_DOCUMENTATION[type] } : {}),
            interaction: interactions.map((code) => ({ code })),
            versioning: 'versioned-update',
            readHistory: true,
            updateCreate: writable,
            conditionalCreate: writable,
            conditionalRead: 'not-supported',
            conditionalUpdate: writable,
            conditionalDelete: writable ? 'single' : 'not-supported',
            searchInclude: references.map((d) => `${type}:${d.code}`),
            searchRevInclude: SUPPORTED_TYPES.flatMap((source) =>
              [...searchParams(source).values()]
                .filter((d) => d.type === 'reference' && (d.targets.length === 0 || d.targets.includes(type)))
                .map((d) => `${source}:${d.code}`),
            ),
            searchParam: (type === 'Binary' ? [] : params).map((p) => ({ name: p.name, type: p.type, ...(p.documentation ? { documentation: p.documentation } : {}) })),
            ...(type === 'Patient' ? { operation: PATIENT_OPERATIONS } : {}),
          };
        }),
      },
    ],
  };
}

/**
 * The types of the shared medical record, written through IHE MHD only (docs/dmp.md): documents are deposited
 * by ITI-65 (a transaction Bundle at the base), their metadata updated and deleted by their producer; lists are
 * written with them; bytes are read as Binary/<document id> (ITI-68) and never searched.
 */
const DMP_INTERACTIONS: Record<string, string[]> = {
  DocumentReference: ['read', 'vread', 'search-type', 'history-instance', 'update', 'delete'],
  List: ['read', 'vread', 'search-type', 'history-instance'],
  Binary: ['read'],
  Communication: ['read', 'vread', 'search-type', 'history-instance'],
};

const DMP_DOCUMENTATION: Record<string, string> = {
  DocumentReference: 'IHE MHD Document Responder (PDSm): deposited by ITI-65 (a transaction Bundle posted to the base), found by ITI-67; PUT updates the metadata (status, securityLabel, isArchived) and DELETE is the producer\'s',
  List: 'IHE MHD submission sets and folders, written by ITI-65, found by ITI-66',
  Binary: 'ITI-68: the bytes of DocumentReference/<id> at Binary/<id>, in their own Content-Type (or as a Binary with Accept: application/fhir+json)',
  Communication: "Secure messages of the patient's mailbox (docs/messaging.md): sent over SMTP or the messaging API, read here; a professional reads only the messages they sent or received",
};

/** The professionals' access operations (docs/care-access.md), described in the operation's documentation. */
const PATIENT_OPERATIONS = [
  {
    name: 'access-status',
    definition: 'https://carnet.example/fhir/OperationDefinition/Patient-access-status',
    documentation: 'POST [base]/Patient/$access-status with the INS (parameter ins, valueIdentifier): whether the professional may access the record, and why (status, basis, since, patient).',
  },
  {
    name: 'declare-access',
    definition: 'https://carnet.example/fhir/OperationDefinition/Patient-declare-access',
    documentation: "POST [base]/Patient/[id]/$declare-access with basis (valueCode consent | care-team): records the patient's consent or the care-team membership as a Consent.",
  },
];
