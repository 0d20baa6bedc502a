/** The application API of prevention (src/contract/prevention.ts, where the server reads it too). */
export * from '../../src/contract/prevention';
