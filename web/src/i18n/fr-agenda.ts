/** The strings of the patient's agenda and calendar links (issue 8). */
const frAgenda = {
  agenda: {
    nav: 'Agenda',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {} as Record<string, string>,
  },
};

export default frAgenda;
