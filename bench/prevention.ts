/**
 * `npm run bench:prevention`: the daily prevention reminder job (docs/prevention.md, "Reminders") over
 * BENCH_PROFILES (default 1,000,000) insured profiles, on PostgreSQL with DATABASE_URL (a database of its own is
 * created on that server and dropped at the end) or on PGlite without it.
 *
 * The population is written by SQL (generate_series): birth dates spread over 0–100 years (adults flat to 70,
 * then fewer and fewer up to 100), both sexes, 15 % children covered by an adult of their block, adults mostly
 * active (some open, notified, opposed, closed, suspended), children mostly open; every active adult has an
 * account with a verified e-mail, and their children are linked to it. Then BENCH_MARKED (default 5,000)
 * profiles of 50–74 get a mark on a screening round, and BENCH_VACCINATED (default 3,000) children under two
 * get the Immunizations of their doses already due (written straight into the store's table).
 *
 * Timed: one full run of the job (the first of the day: it catches up 30 days of windows), a second run the
 * same day (nothing to do), and the run of the next day. Per phase of the batches (BENCH_BATCH, default 2,000
 * profiles a batch), with the CPU of Node and of the PostgreSQL backends. Target: a full run under 5 minutes
 * on PostgreSQL. BENCH_KEEP=1 keeps the database (its name is printed) to look at plans afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createCarnet, type Carnet } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createScratchDatabase } from '../src/db/scratch.js';
import { computePrevention } from '../src/domain/prevention/index.js';
import { parisToday } from '../src/domain/profile/sections/common.js';
import { calendars } from '../src/services/prevention/calendars.js';
import { PHASES, runPreventionReminders, type PreventionPhase } from '../src/services/prevention/reminders.js';
import { pgBackendCpu } from './measure.js';

const env = (name: string, fallback: number) => (process.env[name] ? Number(process.env[name]) : fallback);
const PROFILES = env('BENCH_PROFILES', 1_000_000);
const MARKED = env('BENCH_MARKED', 5_000);
const VACCINATED = env('BENCH_VACCINATED', 3_000);
const BATCH = env('BENCH_BATCH', 2_000);
const KEEP = process.env.BENCH_KEEP === '1';
/** The target: a full run over a million profiles in 5 minutes (scaled to BENCH_PROFILES). */
const TARGET_SECONDS = 300;
const DAY_MS = 86_400_000;

const progress = (msg: string) => process.stderr.write(`[bench:prevention ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// ---- where the time goes ----

interface Usage {
  seconds: number;
  nodeCores: number;
  pgCores: number | undefined;
}

function meter(database: string | undefined): () => Usage {
  const t0 = performance.now();
  const cpu = process.cpuUsage();
  const pg0 = database ? pgBackendCpu(database) : undefined;
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const used = process.cpuUsage(cpu);
    let pgCores: number | undefined;
    if (database && pg0) {
      let spent = 0;
      for (const [pid, s] of pgBackendCpu(database)) spent += s - (pg0.get(pid) ?? 0);
      pgCores = spent / seconds;
    }
    return { seconds, nodeCores: (used.user + used.system) / 1e6 / seconds, pgCores };
  };
}

// ---- the population ----

async function population(carnet: Carnet, today: string, at: Date): Promise<void> {
  const q = carnet.db;
  // one row per person: a deterministic id (md5 of the number: ids in no order of age), a child in 15 of 100
  await q.query(`SELECT setseed(0.42)`);
  await q.query(`DROP TABLE IF EXISTS bench_person`);
  await q.query(
    `CREATE UNLOGGED TABLE bench_person AS
     SELECT i, md5('person' || i)::uuid AS id, (i % 100) < 15 AS child,
            'B' || lpad(i::text, 14, '0') AS nir,
            CASE WHEN random() < 0.5 THEN 'F' ELSE 'M' END AS sex,
            random() AS u1, random() AS u2, random() AS u3
       FROM generate_series(1, $1::int) AS i`,
    [PROFILES],
  );
  // birth dates: children 0–17 years; adults flat from 18 to 70, then a decreasing triangle to 100
  await q.query(
    `INSERT INTO insured (id, nir, ins_oid, birth_name, first_given_name, given_names, birth_date, sex, birth_place,
                          covered_by_nir, state, state_since, updated_at)
     SELECT p.id, p.nir, '1.2.250.1.213.1.4.8', 'BENCH', 'Camille', 'Camille Marie',
            $1::date - CASE
              WHEN p.child THEN floor(p.u1 * 17 * 365.25)::int
              WHEN p.u2 < 0.8 THEN floor((18 + p.u1 * 52) * 365.25)::int
              ELSE floor((70 + 30 * (1 - sqrt(1 - p.u1))) * 365.25)::int
            END,
            p.sex, '75056',
            CASE WHEN p.child THEN 'B' || lpad((p.i - p.i % 100 + 50)::text, 14, '0') END,
            CASE
              WHEN p.child THEN CASE WHEN p.u3 < 0.7 THEN 'open' WHEN p.u3 < 0.9 THEN 'active' ELSE 'notified' END
              ELSE CASE WHEN p.u3 < 0.85 THEN 'active' WHEN p.u3 < 0.90 THEN 'open' WHEN p.u3 < 0.94 THEN 'notified'
                        WHEN p.u3 < 0.96 THEN 'opposed' WHEN p.u3 < 0.99 THEN 'closed' ELSE 'suspended' END
            END,
            $2, $2
       FROM bench_person p`,
    [today, new Date(at.getTime() - 200 * DAY_MS)],
  );
  // an account with a verified e-mail for every active adult, their children linked to it
  await q.query(
    `INSERT INTO app_user (id, login, role, display_name, patient_id, insured_id, email, email_verified_at, created_at)
     SELECT md5('user' || p.i)::uuid, 'bench' || p.i, 'patient', 'Bench', p.id::text, p.id, 'bench' || p.i || '@bench.test', $1, $1
       FROM bench_person p JOIN insured i ON i.id = p.id
      WHERE NOT p.child AND i.state = 'active'`,
    [at],
  );
  await q.query(`INSERT INTO app_user_patient (user_id, patient_id, relation) SELECT id, patient_id, 'self' FROM app_user WHERE login LIKE 'bench%'`);
  await q.query(
    `INSERT INTO app_user_patient (user_id, patient_id, relation)
     SELECT md5('user' || (c.i - c.i % 100 + 50))::uuid, c.id::text, 'parent'
       FROM bench_person c JOIN insured i ON i.id = c.id
      WHERE c.child AND i.state IN ('open', 'active')
        AND EXISTS (SELECT 1 FROM app_user u WHERE u.id = md5('user' || (c.i - c.i % 100 + 50))::uuid)`,
  );
  await q.query(`DROP TABLE bench_person`);
  await q.query(`ANALYZE insured`);
  await q.query(`ANALYZE app_user`);
  await q.query(`ANALYZE app_user_patient`);
}

/** Marks on screening rounds (done or not done) of people of 50–74, as the prevention page would set them. */
async function marks(carnet: Carnet, today: string, at: Date): Promise<number> {
  const cals = calendars();
  const { rows } = await carnet.db.query<{ id: string; birth_date: string; sex: 'M' | 'F' }>(
    `SELECT id::text AS id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex FROM insured
      WHERE state = 'active' AND birth_date BETWEEN $1::date - interval '74 years' AND $1::date - interval '50 years'
      ORDER BY id LIMIT $2`,
    [today, MARKED],
  );
  const out: { patientId: string; code: string; mark: string; date: string | null }[] = [];
  for (const r of rows) {
    const items = computePrevention({ birthDate: r.birth_date, sex: r.sex, vaccinations: [], marks: [] }, cals, today);
    const screening = items.find((i) => i.type === 'screening' && (i.status === 'due' || i.status === 'to-plan'));
    if (!screening) continue;
    const done = out.length % 3 !== 0;
    out.push({ patientId: r.id, code: screening.code, mark: done ? 'done' : 'not-done', date: done ? (screening.window.start <= today ? screening.window.start : today) : null });
  }
  await carnet.db.query(
    `INSERT INTO prevention_mark (patient_id, code, mark, on_date, marked_at, marked_by)
     SELECT unnest($1::text[]), unnest($2::text[]), unnest($3::text[]), unnest($4::date[]), $5, 'bench'`,
    [out.map((m) => m.patientId), out.map((m) => m.code), out.map((m) => m.mark), out.map((m) => m.date), at],
  );
  return out.length;
}

/** The Immunizations of the doses already due of children under two (straight into the store's table). */
async function immunizations(carnet: Carnet, today: string, at: Date): Promise<number> {
  const cals = calendars();
  const { rows } = await carnet.db.query<{ id: string; birth_date: string; sex: 'M' | 'F' }>(
    `SELECT id::text AS id, to_char(birth_date, 'YYYY-MM-DD') AS birth_date, sex FROM insured
      WHERE state IN ('open', 'active') AND covered_by_nir IS NOT NULL AND birth_date > $1::date - interval '2 years'
      ORDER BY id LIMIT $2`,
    [today, VACCINATED],
  );
  const resources: { patientId: string; id: string; content: string }[] = [];
  for (const r of rows) {
    const items = computePrevention({ birthDate: r.birth_date, sex: r.sex, vaccinations: [], marks: [] }, cals, today);
    for (const i of items) {
      if (i.type !== 'vaccination' || i.window.start > today) continue;
      const id = randomUUID();
      resources.push({
        patientId: r.id,
        id,
        content: JSON.stringify({
          resourceType: 'Immunization',
          id,
          meta: { versionId: '1', lastUpdated: at.toISOString() },
          status: 'completed',
          vaccineCode: { text: i.title },
          patient: { reference: `Patient/${r.id}` },
          occurrenceDateTime: i.window.start,
          protocolApplied: [{ targetDisease: (i.diseases ?? []).map((d) => ({ text: d })), doseNumberPositiveInt: i.dose?.number ?? 1 }],
        }),
      });
    }
  }
  for (let k = 0; k < resources.length; k += 5_000) {
    const chunk = resources.slice(k, k + 5_000);
    await carnet.db.query(
      `INSERT INTO resource (patient_id, resource_type, id, version_id, last_updated, content)
       SELECT unnest($1::text[]), 'Immunization', unnest($2::text[]), 1, $3, unnest($4::jsonb[])`,
      [chunk.map((x) => x.patientId), chunk.map((x) => x.id), at, chunk.map((x) => x.content)],
    );
  }
  return resources.length;
}

// ---- the runs ----

interface RunFigures {
  label: string;
  seconds: number;
  profiles: number;
  sent: number;
  usage: Usage;
  timings: Partial<Record<PreventionPhase, number>>;
}

async function run(carnet: Carnet, label: string, now: Date, database: string | undefined): Promise<RunFigures> {
  const timings: Partial<Record<PreventionPhase, number>> = {};
  const stop = meter(database);
  const r = await runPreventionReminders({ db: carnet.db, repo: carnet.repo, mailer: carnet.mailer }, now, { batchSize: BATCH, budgetMs: Number.POSITIVE_INFINITY, timings });
  const usage = stop();
  progress(`${label}: ${fmt(r.preventionProfiles)} profiles, ${fmt(r.preventionRemindersSent)} reminders in ${usage.seconds.toFixed(1)} s`);
  return { label, seconds: usage.seconds, profiles: r.preventionProfiles, sent: r.preventionRemindersSent, usage, timings };
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  const db = url ? await createScratchDatabase(url, 'carnet_bench_prev') : undefined;
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carnet-bench-prevention-'));
  const config = loadConfig({
    ...process.env,
    ...(db ? { DATABASE_URL: db.url } : {}),
    DATA_DIR: workDir,
    DEMO: 'false',
    LOG_LEVEL: 'silent',
    JOBS_INTERVAL_SECONDS: '0',
  });
  const loadBefore = os.loadavg();
  let carnet: Carnet | undefined;
  try {
    carnet = await createCarnet(config, { seed: false });
    const now = new Date();
    const today = parisToday(now);
    progress(`${fmt(PROFILES)} insured profiles (generate_series), accounts for the active adults`);
    const t0 = performance.now();
    await population(carnet, today, now);
    const populated = (performance.now() - t0) / 1000;
    const { rows: counts } = await carnet.db.query<{ eligible: string; users: string }>(
      `SELECT (SELECT count(*) FROM insured WHERE state = 'active' OR (state = 'open' AND covered_by_nir IS NOT NULL)) AS eligible,
              (SELECT count(*) FROM app_user) AS users`,
    );
    progress(`populated in ${populated.toFixed(1)} s: ${fmt(Number(counts[0]!.eligible))} profiles to look at, ${fmt(Number(counts[0]!.users))} accounts`);
    const marked = await marks(carnet, today, now);
    const vaccinations = await immunizations(carnet, today, now);
    progress(`${fmt(marked)} marks, ${fmt(vaccinations)} Immunizations`);
    await carnet.db.query('ANALYZE');

    const runs: RunFigures[] = [];
    runs.push(await run(carnet, 'first run of the day (catches up 30 days of windows)', now, db?.name));
    runs.push(await run(carnet, 'second run, same day', new Date(now.getTime() + 60_000), db?.name));
    runs.push(await run(carnet, 'the next day', new Date(now.getTime() + DAY_MS), db?.name));

    const { rows: after } = await carnet.db.query<{ reminders: string; notifications: string; mails: string; audits: string }>(
      `SELECT (SELECT count(*) FROM prevention_reminder) AS reminders, (SELECT count(*) FROM notification) AS notifications,
              (SELECT count(*) FROM mail_outbox) AS mails,
              (SELECT count(*) FROM resource WHERE resource_type = 'AuditEvent') AS audits`,
    );
    const { rows: byType } = await carnet.db.query<{ type: string; n: string }>('SELECT type, count(*) AS n FROM prevention_reminder GROUP BY type ORDER BY type');

    const store = db ? 'PostgreSQL' : 'PGlite';
    const loadAfter = os.loadavg();
    const lines = [
      `### Prevention reminders, ${fmt(PROFILES)} profiles, ${store} (${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${new Date().toISOString().slice(0, 10)})`,
      '',
      `Load average (1, 5, 15 min) before: ${loadBefore.map((l) => l.toFixed(2)).join(', ')}; after: ${loadAfter.map((l) => l.toFixed(2)).join(', ')}.`,
      `Population written in ${populated.toFixed(1)} s; ${fmt(Number(counts[0]!.eligible))} profiles to look at (active, and children's open), ${fmt(Number(counts[0]!.users))} accounts; ${fmt(marked)} marks, ${fmt(vaccinations)} Immunizations. Batches of ${fmt(BATCH)}.`,
      '',
      `| run | seconds | profiles | profiles/s | reminders sent | Node CPU (cores) | PostgreSQL CPU (cores) | target (${((TARGET_SECONDS * PROFILES) / 1_000_000).toFixed(0)} s for ${fmt(PROFILES)}) |`,
      '|---|---:|---:|---:|---:|---:|---:|---|',
      ...runs.map(
        (r, k) =>
          `| ${r.label} | ${r.seconds.toFixed(r.seconds < 1 ? 3 : 1)} | ${fmt(r.profiles)} | ${r.seconds > 0 && r.profiles ? fmt(r.profiles / r.seconds) : '–'} | ${fmt(r.sent)} | ${r.usage.nodeCores.toFixed(2)} | ${r.usage.pgCores?.toFixed(2) ?? '–'} | ${k === 1 ? '' : r.seconds <= (TARGET_SECONDS * PROFILES) / 1_000_000 ? 'met' : 'missed'} |`,
      ),
      '',
      `Where the time of the batches goes (ms, all batches of the run):`,
      '',
      `| run | ${PHASES.join(' | ')} |`,
      `|---|${PHASES.map(() => '---:').join('|')}|`,
      ...runs.map((r) => `| ${r.label} | ${PHASES.map((p) => fmt(r.timings[p] ?? 0)).join(' | ')} |`),
      '',
      `Reminders by type: ${byType.map((t) => `${t.type} ${fmt(Number(t.n))}`).join(', ')}; notifications ${fmt(Number(after[0]!.notifications))}, e-mails queued ${fmt(Number(after[0]!.mails))}, AuditEvents (Immunization reads) ${fmt(Number(after[0]!.audits))}; reminders stored ${fmt(Number(after[0]!.reminders))}.`,
    ];
    console.log(lines.join('\n'));
  } finally {
    await carnet?.close();
    if (KEEP && db) progress(`kept the database ${db.name}`);
    else await db?.drop();
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
