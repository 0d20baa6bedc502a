#!/usr/bin/env node
// The `carnet` command line. The TypeScript sources are compiled to dist/ by `npm ci` (prepare) and `npm start`.
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
