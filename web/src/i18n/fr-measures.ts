/** The strings of the patient's measures, targets and growth curves (issue 8). */
const frMeasures = {
  measures: {
    nav: 'Mesures',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {} as Record<string, string>,
  },
};

export default frMeasures;
