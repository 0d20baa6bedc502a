import { parseArgs } from 'node:util';
import { createCarnet, openConfiguredDb, packageVersion } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { migrate } from '../db/index.js';
import { loadSigningKey } from '../services/auth/keys.js';
import { signToken } from '../services/auth/tokens.js';
import { demoLogins, userId } from '../services/demo/world.js';

const USAGE = `Usage: carnet <command> [options]

Commands:
  serve          Start Carnet (FHIR API at /fhir, application API at /api)
  migrate        Apply the database migrations and exit
  token <login>  Print a bearer token for a demo user (demo mode only)

Run "carnet <command> --help" for the options of a command.
Settings come from environment variables (PORT, DATA_DIR, DATABASE_URL, BASE_URL, DEMO, ...): see the README.`;

const HELP: Record<string, string> = {
  serve: `Usage: carnet serve

Starts Carnet on PORT (default 3000). The store is PGlite in DATA_DIR (default ./data), or PostgreSQL when
DATABASE_URL is set. Migrations are applied at start. In demo mode (the default on PGlite) the demo world is
seeded on first start and the demo logins are printed.`,
  migrate: `Usage: carnet migrate

Applies the versioned SQL migrations in migrations/ that the database has not seen yet, then exits.
Uses DATABASE_URL, or the PGlite store in DATA_DIR (stop a running server on that DATA_DIR first).`,
  token: `Usage: carnet token <login> [--ttl <seconds>]

Prints a bearer token for a demo user, signed with the key in DATA_DIR, for curl and scripts:
  curl -H "Authorization: Bearer $(npx carnet token camille.martin)" http://localhost:3000/api/me
Refused outside demo mode. Demo logins:
${demoLogins()
  .map((l) => `  ${l.login.padEnd(16)} ${l.who}`)
  .join('\n')}`,
};

function configOrExit(): Config {
  return loadConfig();
}

async function serve(): Promise<number> {
  const config = configOrExit();
  const carnet = await createCarnet(config);
  const stop = async () => {
    await carnet.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await carnet.server.listen({ port: config.port, host: config.host });
  const lines = [
    `Carnet ${packageVersion()} is running at ${config.baseUrl}`,
    `  FHIR API: ${config.baseUrl}/fhir (CapabilityStatement at /fhir/metadata)`,
    `  Store: ${carnet.db.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
  ];
  if (carnet.db.kind === 'pglite' && !config.demo) {
    lines.push('  Warning: PGlite runs with fsync off and blocks while it queries: use PostgreSQL (DATABASE_URL) in production.');
  }
  if (config.demo) {
    if (carnet.seed?.seeded) lines.push(`  Demo world seeded: ${carnet.seed.resources} resources.`);
    if (carnet.seed?.warning) lines.push(`  Warning: ${carnet.seed.warning}`);
    lines.push('  Demo logins (get a token with: npx carnet token <login>):');
    for (const l of demoLogins()) lines.push(`    ${l.login.padEnd(16)} ${l.who}`);
    lines.push(`  Try: curl -H "Authorization: Bearer $(npx carnet token camille.martin)" ${config.baseUrl}/api/me`);
  }
  console.log(lines.join('\n'));
  return new Promise<number>(() => undefined);
}

async function migrateCommand(): Promise<number> {
  const config = configOrExit();
  const db = await openConfiguredDb(config);
  try {
    const applied = await migrate(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'The database is up to date.');
  } finally {
    await db.close();
  }
  return 0;
}

async function token(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { ttl: { type: 'string' } }, allowPositionals: true });
  const login = positionals[0];
  if (!login || positionals.length > 1) {
    console.error(HELP.token);
    return 2;
  }
  const config = configOrExit();
  if (!config.demo) {
    console.error('carnet token is refused outside demo mode (DEMO=true): real users sign in through the login flows.');
    return 1;
  }
  if (!demoLogins().some((l) => l.login === login)) {
    console.error(`Unknown demo login '${login}'. Demo logins: ${demoLogins().map((l) => l.login).join(', ')}`);
    return 1;
  }
  const ttl = values.ttl !== undefined ? Number(values.ttl) : config.tokenTtlSeconds;
  if (!Number.isInteger(ttl) || ttl < 1) {
    console.error('--ttl must be a whole number of seconds');
    return 2;
  }
  const key = await loadSigningKey(config.dataDir);
  if (!key) {
    console.error(`No signing key in ${config.dataDir}: start Carnet once (npm start) with the same DATA_DIR.`);
    return 1;
  }
  console.log(await signToken(key, { sub: userId(login), login }, ttl));
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === '--version') {
    console.log(packageVersion());
    return 0;
  }
  if (!(command in HELP)) {
    console.error(`Unknown command '${command}'.\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(HELP[command]);
    return 0;
  }
  try {
    if (command === 'serve') return await serve();
    if (command === 'migrate') return await migrateCommand();
    return await token(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
