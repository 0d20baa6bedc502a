/** The application API of the medical profile, measures and agenda (src/contract/profile.ts, where the server reads it too). */
export * from '../../src/contract/profile';
