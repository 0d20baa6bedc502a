/** Addresses the app links to in more than one place. */

/** The "new code provisoire" form: a query on /activation, so that the server's /activation route serves it. */
export const RESEND_CODE_PATH = '/activation?nouveau-code';
