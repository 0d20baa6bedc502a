/**
 * `npm run bench:directory`: the national directory import (`carnet directory import`), on PostgreSQL with
 * DATABASE_URL (an empty database) or on PGlite. Generates a PS_LibreAcces_Personne_activite file of
 * BENCH_DIRECTORY_LINES lines (default 2,000,000, about the national file) with the test-file generator, then
 * imports it through the service as the CLI does, twice: the first run creates everything, the second
 * re-imports the same file (everything unchanged, nothing written). Then the MSSanté file of the same people.
 * Prints a markdown table; exits 1 on failure. Target: the national file in under 3 minutes on PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCarnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { generateDirectory, generateMailboxes } from '../src/domain/directory/index.js';
import { importDirectory, type DirectoryImportReport } from '../src/services/directory/import.js';

const TARGET_SECONDS_FOR_2M = 180;

async function writeLines(file: string, lines: Iterable<string>): Promise<number> {
  const out = fs.createWriteStream(file);
  let buffer = '';
  let n = 0;
  for (const line of lines) {
    buffer += `${line}\n`;
    n++;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((r) => out.end(() => r()));
  return n - 1;
}

async function main(): Promise<void> {
  const lines = Number(process.env.BENCH_DIRECTORY_LINES ?? 2_000_000);
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-directory-'));
  const activities = path.join(dir, 'PS_LibreAcces_Personne_activite.txt');
  const mailboxes = path.join(dir, 'Extraction_Correspondance_MSSante.txt');
  const started = Date.now();
  await writeLines(activities, generateDirectory({ lines, seed }));
  const generated = (Date.now() - started) / 1000;
  const mailboxLines = await writeLines(mailboxes, generateMailboxes({ lines, seed }));
  const config = loadConfig({ ...process.env, DATA_DIR: path.join(dir, 'data'), DEMO: 'false', LOG_LEVEL: 'silent' });
  const carnet = await createCarnet(config, { seed: false });
  const runs: { label: string; report: DirectoryImportReport }[] = [];
  try {
    const plan: [string, string][] = [
      ['first import (creates)', activities],
      ['re-import (unchanged)', activities],
      ['MSSanté mailboxes', mailboxes],
    ];
    for (const [label, file] of plan) {
      const report = await importDirectory(carnet, file, {
        onProgress: (p) => {
          if (process.stderr.isTTY) process.stderr.write(`\r  ${label}: ${p.lines} lines`);
        },
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (report.rejected > 0) throw new Error(`${report.rejected} lines rejected: ${JSON.stringify(report.firstRejections.slice(0, 3))}`);
      runs.push({ label, report });
    }
  } finally {
    await carnet.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const store = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const target = (lines / 2_000_000) * TARGET_SECONDS_FOR_2M;
  const counts = (r: DirectoryImportReport) => {
    const c = r.roles ?? r.mailboxes!;
    const what = r.roles ? 'roles' : 'mailboxes';
    return `${c.created} ${what} created, ${c.updated} updated, ${c.unchanged} unchanged` +
      (r.practitioners ? `; ${r.practitioners.created} professionals, ${r.organizations!.created} structures created` : '');
  };
  const out = [
    `### Directory import, ${lines.toLocaleString('en')} lines (+ ${mailboxLines.toLocaleString('en')} mailboxes), ${store} (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)})`,
    '',
    `File generated in ${generated.toFixed(1)} s (${Math.round(lines / generated).toLocaleString('en')} lines/s).`,
    '',
    `| run | seconds | lines/s | what | target (2 M lines in ${TARGET_SECONDS_FOR_2M} s) |`,
    '|---|---:|---:|---|---|',
    ...runs.map(({ label, report: r }) => {
      const perSecond = Math.round(r.lines / r.seconds);
      const met = r.kind === 'activities' ? (r.seconds <= target ? 'met' : 'missed') : '';
      return `| ${label} | ${r.seconds.toFixed(1)} | ${perSecond.toLocaleString('en')} | ${counts(r)} | ${met} |`;
    }),
  ];
  console.log(out.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
