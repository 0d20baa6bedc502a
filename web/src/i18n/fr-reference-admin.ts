/** The strings of the operator's reference data (drugs, vaccines) (issue 8). */
const frReferenceAdmin = {
  referenceAdmin: {
    nav: 'Référentiels',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {} as Record<string, string>,
  },
};

export default frReferenceAdmin;
