/** The strings of the patient's medical profile (sections, summary PDF, advance directives) (issue 8). */
const frProfile = {
  profile: {
    nav: 'Profil médical',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {} as Record<string, string>,
  },
};

export default frProfile;
