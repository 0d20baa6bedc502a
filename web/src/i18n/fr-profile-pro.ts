/** The strings of the medical profile as a professional sees it (issue 8). */
const frProfilePro = {
  profilePro: {
    nav: 'Profil médical',
    /** Messages per API error code (merged into `errors` at start: see router.tsx). */
    errors: {} as Record<string, string>,
  },
};

export default frProfilePro;
