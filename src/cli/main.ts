import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCarnet, openConfiguredDb, packageVersion, type Carnet } from '../app.js';
import { ConfigError, loadConfig, type Config } from '../config.js';
import { migrate } from '../db/index.js';
import { SYSTEM } from '../domain/access/index.js';
import { makeContext } from '../repo/index.js';
import { loadSigningKey } from '../services/auth/keys.js';
import { importPath } from '../services/import/importer.js';
import { importPopulation } from '../services/accounts/population.js';
import { generatePopulation } from '../domain/population/index.js';
import { generateDirectory, generateMailboxes } from '../domain/directory/index.js';
import { importDirectory, type DirectoryImportReport } from '../services/directory/import.js';
import { signToken } from '../services/auth/tokens.js';
import { demoLogins, userId } from '../services/demo/world.js';
import { BdpmFormatError, CIS_CIP_FILE, CIS_FILE, decodeBdpm, parseCisCipFile, parseCisFile } from '../domain/reference/bdpm.js';
import { BDPM_SOURCE, replaceBdpm } from '../services/reference/import.js';
import { DEMO_PASSWORD } from '../services/demo/accounts.js';

const USAGE = `Usage: carnet <command> [options]

Commands:
  serve          Start Carnet (FHIR API at /fhir, application API at /api)
  migrate        Apply the database migrations and exit
  token <login>  Print a bearer token for a demo user (demo mode only)
  import <path>  Load FHIR transaction Bundles (.json) or resources (.ndjson) from a file or a folder
  insured        The insured population: import a file (opt-out notices follow), generate a test file
  directory      The national directory of professionals: import an Annuaire Santé extract, generate a test file
  import-bdpm <dir>  Load the public drug database (CIS_bdpm.txt, CIS_CIP_bdpm.txt) from a folder

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
  import: `Usage: carnet import <file|folder> [--chunk <n>]

Loads FHIR data straight into the store, as Carnet itself: transaction or batch Bundles in .json files (one
Bundle or one resource per file), resources in .ndjson files (one per line, --chunk per transaction, 500 by
default). Every resource is validated and audited like any write; entries of types Carnet does not store
(Encounter, Claim...) are left out along with the references to them. Prints each file's progress and a
final report; exits 1 if anything failed.
On PGlite, stop the server on that DATA_DIR first (or post the Bundles to /fhir instead).`,
  insured: `Usage: carnet insured import <file.csv>
       carnet insured generate --count <n> [--seed <n>] [--no-email-ratio <0..1>] [--child-ratio <0..1>]
                               [--bad-ratio <0..1>] [--out <file.csv>]

import    Loads a population file (format: docs/population-file.md): each row is upserted by NIR (a
          re-import updates, never duplicates), bad rows are reported with their line and reason while the
          good ones load, and the new people get their opt-out notice (e-mail, or a letter to print from the
          operator space). Prints progress and a final report; exits 1 if a row failed.
          On PGlite, stop the server on that DATA_DIR first (or import from the operator space).
generate  Writes a realistic test file (valid NIRs consistent with the traits, families with children,
          some people without e-mail; with --bad-ratio, some rows wrong on purpose). Deterministic per seed.`,
  directory: `Usage: carnet directory import <file> [--partial] [--force]
       carnet directory generate --lines <n> [--seed <n>] [--bad-ratio <0..1>] [--legacy] [--mssante]
                                 [--out <file>]

import    Loads an Annuaire Santé open-data extract (format: docs/directory.md), told apart by its header:
          PS_LibreAcces_Personne_activite (professionals, structures, practice situations) or
          Extraction_Correspondance_MSSante (mailboxes). The file is a full national snapshot: afterwards,
          what it no longer lists is deactivated; with --partial, nothing is deactivated. A full import
          that would deactivate more than half of what is active (a truncated file?) deactivates nothing
          and exits 1, unless --force. A re-import of
          the same file changes nothing. Bad lines are reported with their line and reason while the good
          ones load. Prints progress on stderr and a final report; exits 1 if a line was rejected.
          On PGlite, stop the server on that DATA_DIR first.
generate  Writes a realistic PS_LibreAcces_Personne_activite test file (56 columns, or the 52 of older
          extracts with --legacy): RPPS numbers with valid keys and some ADELI, the real profession mix, a
          fifth of the people on several lines, shared structures, real cities; with --bad-ratio, some lines
          wrong on purpose. With --mssante, the MSSanté mailboxes of the same people instead. Deterministic
          per seed: a shorter file is the beginning of a longer one with the same options.`,
  'import-bdpm': `Usage: carnet import-bdpm <folder> [--version <YYYY-MM-DD>]

Replaces the drug database with the official BDPM files in <folder>: CIS_bdpm.txt (products) and
CIS_CIP_bdpm.txt (presentations), as downloaded from base-donnees-publique.medicaments.gouv.fr (tab-separated,
Windows-1252; format: docs/reference-data.md). Both files are parsed strictly first: a bad row stops the import
with its file and line, and nothing is replaced. Then both tables are replaced in one transaction and the
dataset's provenance recorded (version: --version, or the date of CIS_bdpm.txt). Presentations of products the
product file does not list are left out and counted. Uses DATABASE_URL, or the PGlite store in DATA_DIR (stop a
running server on that DATA_DIR first).`,
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

/** The one path an import command takes, which must exist; undefined, after saying why, otherwise. */
function onePath(positionals: string[], help: string): string | undefined {
  const target = positionals[0];
  if (!target || positionals.length > 1) {
    console.error(help);
    return undefined;
  }
  if (!fs.existsSync(target)) {
    console.error(`Nothing at ${target}`);
    return undefined;
  }
  return target;
}

/** Runs a command's work on a Carnet opened for it (no seeding, no logs), closed afterwards. */
async function withCarnet<T>(fn: (carnet: Carnet) => Promise<T>): Promise<T> {
  const carnet = await createCarnet({ ...configOrExit(), logLevel: 'silent' }, { seed: false });
  try {
    return await fn(carnet);
  } finally {
    await carnet.close();
  }
}

/** A progress callback that prints at most once a second. */
function everySecond<P>(print: (p: P) => void): (p: P) => void {
  let last = 0;
  return (p) => {
    if (Date.now() - last < 1000) return;
    last = Date.now();
    print(p);
  };
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
  const smtpPort = config.messaging.smtpPort > 0 ? await carnet.smtp.listen(config.messaging.smtpPort, config.messaging.smtpHost) : undefined;
  carnet.jobs.start(config.jobsIntervalSeconds);
  if (config.demo) carnet.mailer.echo = (to, subject) => console.log(`  [mail catcher] to ${to}: ${subject}`);
  const lines = [
    `Carnet ${packageVersion()} is running at ${config.baseUrl}`,
    `  FHIR API: ${config.baseUrl}/fhir (CapabilityStatement at /fhir/metadata)`,
    `  Store: ${carnet.db.kind === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)'}`,
    smtpPort !== undefined
      ? `  SMTP gateway: ${config.messaging.smtpHost}:${smtpPort} (STARTTLS), patients' mailboxes <INS>@patient.${config.messaging.domain}`
      : '  SMTP gateway: off (SMTP_PORT=0)',
  ];
  if (carnet.db.kind === 'pglite' && !config.demo) {
    lines.push('  Warning: PGlite runs with fsync off and blocks while it queries: use PostgreSQL (DATABASE_URL) in production.');
  }
  if (config.demo) {
    if (carnet.seed?.seeded) lines.push(`  Demo world seeded: ${carnet.seed.resources} resources.`);
    if (carnet.seed?.warning) lines.push(`  Warning: ${carnet.seed.warning}`);
    lines.push(`  Web app: ${config.baseUrl}/  (sign in with a demo login and the password ${DEMO_PASSWORD};`);
    lines.push('    each e-mail is printed below as it is sent, one-time codes included, and kept in the mail catcher');
    lines.push(`    at ${config.baseUrl}/admin/courriels for the operator, admin)`);
    lines.push('  Demo logins (get an API token with: npx carnet token <login>):');
    for (const l of demoLogins()) lines.push(`    ${l.login.padEnd(16)} ${l.who}`);
    lines.push(`  Try: curl -H "Authorization: Bearer $(npx carnet token camille.martin)" ${config.baseUrl}/api/me`);
  }
  console.log(lines.join('\n'));
  return new Promise<number>(() => undefined);
}

/** carnet import-bdpm <folder>: the full official drug database (docs/reference-data.md). */
async function importBdpmCommand(args: string[]): Promise<number> {
  const { positionals, values } = parseArgs({ args, options: { version: { type: 'string' } }, allowPositionals: true });
  const dir = onePath(positionals, HELP['import-bdpm']!);
  if (!dir) return 2;
  const files = [CIS_FILE, CIS_CIP_FILE].map((f) => path.join(dir, f));
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    console.error(`Not found: ${missing.join(', ')}`);
    return 2;
  }
  const version = values.version ?? fs.statSync(files[0]!).mtime.toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(version)) {
    console.error('--version: the date of the files, YYYY-MM-DD');
    return 2;
  }
  let products, presentations;
  try {
    products = parseCisFile(decodeBdpm(fs.readFileSync(files[0]!)));
    presentations = parseCisCipFile(decodeBdpm(fs.readFileSync(files[1]!)));
  } catch (err) {
    if (err instanceof BdpmFormatError) {
      console.error(`Nothing imported: ${err.message}`);
      return 1;
    }
    throw err;
  }
  const config = configOrExit();
  const db = await openConfiguredDb(config);
  try {
    await migrate(db);
    const report = await replaceBdpm(db, { products, presentations }, { source: BDPM_SOURCE, version, loadedBy: 'cli', loadedAt: new Date() });
    console.log(
      `Imported ${report.products} products and ${report.presentations} presentations (version ${version})` +
        (report.orphans ? `; left out ${report.orphans} presentations of products not in ${CIS_FILE}.` : '.'),
    );
  } finally {
    await db.close();
  }
  return 0;
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

async function importCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args, options: { chunk: { type: 'string' } }, allowPositionals: true });
  const chunk = values.chunk !== undefined ? Number(values.chunk) : 500;
  if (!Number.isInteger(chunk) || chunk < 1) {
    console.error(HELP.import);
    return 2;
  }
  const target = onePath(positionals, HELP.import!);
  if (!target) return 2;
  return withCarnet(async (carnet) => {
    const report = await importPath(target, {
      router: carnet.router,
      ctx: makeContext(SYSTEM),
      chunk,
      onProgress: (f) => {
        const skipped = Object.entries(f.skipped).map(([type, n]) => `${n} ${type}`).join(', ');
        console.log(
          `${path.basename(f.file)}: ${f.imported} imported in ${f.seconds.toFixed(1)} s` +
            `${skipped ? `, left out ${skipped}` : ''}${f.failed.length ? `, ${f.failed.length} failed` : ''}`,
        );
        for (const x of f.failed.slice(0, 5)) console.log(`  ${x.what}: ${x.status} ${x.reason}`);
      },
    });
    const rate = report.seconds > 0 ? Math.round(report.imported / report.seconds) : report.imported;
    console.log(`Imported ${report.imported} resources from ${report.files.length} files in ${report.seconds.toFixed(1)} s (${rate}/s); left out ${report.skipped}; ${report.failed} failed.`);
    return report.failed > 0 ? 1 : 0;
  });
}

async function insuredCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'generate') return generateCommand(rest);
  if (sub !== 'import') {
    console.error(HELP.insured);
    return 2;
  }
  const { positionals } = parseArgs({ args: rest, options: {}, allowPositionals: true });
  const file = onePath(positionals, HELP.insured!);
  if (!file) return 2;
  return withCarnet(async (carnet) => {
    const progress = everySecond((p: { rows: number; created: number; updated: number; failed: number }) =>
      process.stdout.write(`  ${p.rows} rows: ${p.created} created, ${p.updated} updated, ${p.failed} failed\n`),
    );
    const stream = fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
    const report = await importPopulation(carnet.accounts, stream, { fileName: path.basename(file), actor: 'cli' }, progress);
    console.log(
      `${report.fileName}: ${report.rows} rows in ${report.seconds.toFixed(1)} s: ${report.created} created, ${report.updated} updated, ${report.failed} failed; ` +
        `notices: ${report.notices.emailed} by e-mail, ${report.notices.letters} letters to print, ${report.notices.children} children with their parent.`,
    );
    for (const e of report.errors.slice(0, 20)) console.log(`  line ${e.line}: ${e.reason}`);
    if (report.errors.length > 20) console.log(`  … and ${report.failed - 20} more`);
    return report.failed > 0 ? 1 : 0;
  });
}

async function generateCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      count: { type: 'string' },
      seed: { type: 'string' },
      'no-email-ratio': { type: 'string' },
      'child-ratio': { type: 'string' },
      'bad-ratio': { type: 'string' },
      out: { type: 'string' },
    },
  });
  const count = Number(values.count);
  const ratio = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const ratios = [ratio(values['no-email-ratio']), ratio(values['child-ratio']), ratio(values['bad-ratio'])];
  if (!Number.isInteger(count) || count < 1 || ratios.some((r) => r !== undefined && !(r >= 0 && r <= 1))) {
    console.error(HELP.insured);
    return 2;
  }
  const out: NodeJS.WritableStream = values.out ? fs.createWriteStream(values.out) : process.stdout;
  let buffer = '';
  for (const line of generatePopulation({
    count,
    seed: Number(values.seed ?? 1),
    today: new Date(),
    ...(ratios[0] !== undefined ? { noEmailRatio: ratios[0] } : {}),
    ...(ratios[1] !== undefined ? { childRatio: ratios[1] } : {}),
    ...(ratios[2] !== undefined ? { badRowRatio: ratios[2] } : {}),
  })) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
  return 0;
}

async function directoryCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'generate') return directoryGenerate(rest);
  if (sub !== 'import') {
    console.error(HELP.directory);
    return 2;
  }
  const { values, positionals } = parseArgs({ args: rest, options: { partial: { type: 'boolean' }, force: { type: 'boolean' } }, allowPositionals: true });
  const file = onePath(positionals, HELP.directory!);
  if (!file) return 2;
  return withCarnet(async (carnet) => {
    const report = await importDirectory(carnet, file, {
      full: !values.partial,
      force: values.force === true,
      onProgress: everySecond((p) => process.stderr.write(`  ${p.lines} lines: ${p.written} written or unchanged, ${p.rejected} rejected\n`)),
    });
    console.log(directorySummary(report));
    for (const e of report.firstRejections.slice(0, 20)) console.log(`  line ${e.line}: ${e.reason}`);
    if (report.rejected > 20) console.log(`  … and ${report.rejected - 20} more`);
    if (report.deactivationSkipped) console.error(`Nothing was deactivated: ${report.deactivationSkipped}`);
    return report.rejected > 0 || report.deactivationSkipped ? 1 : 0;
  });
}

function directorySummary(r: DirectoryImportReport): string {
  const counts = (what: string, c: { created: number; updated: number; unchanged: number; deactivated: number } | undefined) =>
    c ? `  ${what}: ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.deactivated} deactivated` : undefined;
  return [
    `${r.fileName} (${r.kind}${r.full ? ', full snapshot' : ', partial'}): ${r.lines} lines in ${r.seconds.toFixed(1)} s, ${r.rejected} rejected, ${r.duplicates} repeated`,
    counts('professionals', r.practitioners),
    counts('structures', r.organizations),
    counts('practice situations', r.roles),
    counts('mailboxes', r.mailboxes),
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

async function directoryGenerate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      lines: { type: 'string' },
      seed: { type: 'string' },
      'bad-ratio': { type: 'string' },
      legacy: { type: 'boolean' },
      mssante: { type: 'boolean' },
      out: { type: 'string' },
    },
  });
  const lines = Number(values.lines);
  const seed = Number(values.seed ?? 1);
  const badRatio = values['bad-ratio'] === undefined ? 0 : Number(values['bad-ratio']);
  if (!Number.isInteger(lines) || lines < 1 || !Number.isInteger(seed) || !(badRatio >= 0 && badRatio <= 1)) {
    console.error(HELP.directory);
    return 2;
  }
  const options = { lines, seed, badRatio, legacy: values.legacy === true };
  const out: NodeJS.WritableStream = values.out ? fs.createWriteStream(values.out) : process.stdout;
  let buffer = '';
  for (const line of values.mssante ? generateMailboxes(options) : generateDirectory(options)) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  if (out !== process.stdout) await new Promise<void>((r) => out.end(() => r()));
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
    if (command === 'import') return await importCommand(rest);
    if (command === 'insured') return await insuredCommand(rest);
    if (command === 'directory') return await directoryCommand(rest);
    if (command === 'import-bdpm') return await importBdpmCommand(rest);
    return await token(rest);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  }
}
