/**
 * `npm run bench:population`: the insured population import (`carnet insured import`), on PostgreSQL with
 * DATABASE_URL (an empty database) or on PGlite. Generates BENCH_POPULATION rows (default 1,000,000) with
 * the test-file generator, then imports them through the service as the CLI does, twice: the first run
 * creates everyone and sends the notices (e-mails queued, letters pending), the second re-imports the same
 * file (every row an update). Prints a markdown table. Target: 1 million rows in under a minute on PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCarnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { generatePopulation } from '../src/domain/population/index.js';
import { importPopulation, type PopulationImportReport } from '../src/services/accounts/population.js';

const TARGET_SECONDS_PER_MILLION = 60;

async function main(): Promise<void> {
  const rows = Number(process.env.BENCH_POPULATION ?? 1_000_000);
  const seed = Number(process.env.BENCH_SEED ?? 1);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-population-'));
  const file = path.join(dir, 'population.csv');
  const started = Date.now();
  const out = fs.createWriteStream(file);
  let buffer = '';
  for (const line of generatePopulation({ count: rows, seed, today: new Date() })) {
    buffer += `${line}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()));
      buffer = '';
    }
  }
  out.write(buffer);
  await new Promise<void>((r) => out.end(() => r()));
  const generated = (Date.now() - started) / 1000;
  const config = loadConfig({ ...process.env, DATA_DIR: path.join(dir, 'data'), DEMO: 'false', LOG_LEVEL: 'silent' });
  const carnet = await createCarnet(config, { seed: false });
  const runs: { label: string; report: PopulationImportReport }[] = [];
  try {
    for (const label of ['first import (creates, notices)', 're-import (updates)']) {
      const report = await importPopulation(carnet.accounts, fs.createReadStream(file, { highWaterMark: 1 << 20 }), { fileName: 'population.csv', actor: 'bench' });
      if (report.failed > 0) throw new Error(`${report.failed} rows failed: ${JSON.stringify(report.errors.slice(0, 3))}`);
      runs.push({ label, report });
    }
  } finally {
    await carnet.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const store = config.databaseUrl ? 'PostgreSQL' : 'PGlite';
  const lines = [
    `### Population import, ${rows.toLocaleString('en')} rows, ${store} (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)})`,
    '',
    `File generated in ${generated.toFixed(1)} s (${Math.round(rows / generated).toLocaleString('en')} rows/s).`,
    '',
    '| run | seconds | rows/s | created | updated | e-mails | letters | children | target (1 M in 60 s) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
    ...runs.map(({ label, report: r }) => {
      const perSecond = Math.round(r.rows / r.seconds);
      const target = (rows / 1_000_000) * TARGET_SECONDS_PER_MILLION;
      return `| ${label} | ${r.seconds.toFixed(1)} | ${perSecond.toLocaleString('en')} | ${r.created} | ${r.updated} | ${r.notices.emailed} | ${r.notices.letters} | ${r.notices.children} | ${r.seconds <= target ? 'met' : 'missed'} |`;
    }),
  ];
  console.log(lines.join('\n'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
