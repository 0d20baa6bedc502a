import { it } from 'vitest';
import { loadConfig } from './config.js';

const cases: Record<string, Record<string, string>> = {
  none: {},
  portabc: { PORT: 'abc' },
  port70000: { PORT: '70000' },
  portneg: { PORT: '-1' },
  portfloat: { PORT: '3.5' },
  port0: { PORT: '0' },
  portSpace: { PORT: ' ' },
  portHex: { PORT: '0x10' },
  mysql: { DATABASE_URL: 'mysql://x' },
  pg: { DATABASE_URL: 'postgres://u@h/db' },
  pgDemo: { DATABASE_URL: 'postgresql://u@h/db', DEMO: 'true' },
  notaurl: { BASE_URL: 'notaurl' },
  ftp: { BASE_URL: 'ftp://x' },
  ftpAndPort: { BASE_URL: 'ftp://x', PORT: 'abc' },
  slash: { BASE_URL: 'https://carnet.example/app///' },
  demoMaybe: { DEMO: 'maybe' },
  demoTRUE: { DEMO: 'TRUE' },
  body10: { MAX_BODY_BYTES: '10' },
  several: { PORT: 'abc', DATABASE_URL: 'mysql://x', DEMO: 'maybe', MAX_BODY_BYTES: '10', BASE_URL: 'notaurl' },
  empty: { PORT: '', DATA_DIR: '', DATABASE_URL: '', BASE_URL: '', DEMO: '', MAX_BODY_BYTES: '' },
  counts: { FHIR_DEFAULT_COUNT: '500', FHIR_MAX_COUNT: '100' },
  portInBase: { PORT: '8080' },
  ttl: { TOKEN_TTL_SECONDS: '10' },
  log: { LOG_LEVEL: 'verbose' },
  maxcount: { FHIR_MAX_COUNT: '6000' },
};
it('explore', () => {
  for (const [k, v] of Object.entries(cases)) {
    try { console.log(k, JSON.stringify(loadConfig(v))); } catch (e) { console.log(k, (e as Error).constructor.name, JSON.stringify((e as Error).message)); }
  }
});
