import type { AccountsDeps } from '../accounts/context.js';
import { sweepExpired } from '../oidc/adapter.js';
import { runDeadlines, sweepAccounts, type SweepReport } from './deadlines.js';
import { runHolds, type HoldReport } from '../dmp/holds.js';
import { runAccessNotices } from '../dmp/access-notices.js';
import { forgetOldUploads } from '../messaging/attachments.js';
import { runAgendaReminders } from '../agenda/reminders.js';
import { runPreventionReminders } from '../prevention/reminders.js';

/**
 * The in-process jobs: deadline sweeps, the release of documents held back from patients, the agenda's and
 * prevention's reminders, and e-mail delivery, every JOBS_INTERVAL_SECONDS. One run at a time;
 * a run that fails is logged and retried at the next tick. `runNow` runs them at once (tests, the demo
 * clock).
 */
export class Jobs {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepReport & HoldReport & { accessNotices: number; agendaSynced: number; agendaRemindersSent: number; preventionProfiles: number; preventionRemindersSent: number; mailSent: number; mailFailed: number }> | undefined;

  constructor(
    private readonly deps: AccountsDeps,
    private readonly log: { error(obj: unknown, msg: string): void },
  ) {}

  start(intervalSeconds: number): void {
    if (intervalSeconds <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.runNow().catch((err) => this.log.error({ err }, 'jobs failed'));
    }, intervalSeconds * 1000);
    this.#timer.unref();
  }

  runNow(): Promise<SweepReport & HoldReport & { accessNotices: number; agendaSynced: number; agendaRemindersSent: number; preventionProfiles: number; preventionRemindersSent: number; mailSent: number; mailFailed: number }> {
    this.#running ??= (async () => {
      try {
        const report = await runDeadlines(this.deps);
        // documents held back from the patient: the two-week notice, the release after a month
        const holds = await runHolds(this.deps, this.deps.clock.now());
        // the patients told of professionals' accesses, once per professional, record and day
        const accessNotices = await runAccessNotices(this.deps, this.deps.clock.now());
        // the agenda's reminders (docs/agenda.md): Appointments written through /fhir caught up, then what is due sent
        const agenda = await runAgendaReminders(this.deps, this.deps.clock.now());
        // the prevention reminders (docs/prevention.md): once a day, resumed from its cursor at each tick until
        // done; its failure (a bad calendar file, say) is logged and must not hold back the mail below
        const prevention = this.deps.config.preventionReminders
          ? await runPreventionReminders(this.deps, this.deps.clock.now()).catch((err: unknown) => {
              this.log.error({ err }, 'prevention reminders failed');
              return { preventionProfiles: 0, preventionRemindersSent: 0 };
            })
          : { preventionProfiles: 0, preventionRemindersSent: 0 };
        const mail = await this.deps.mailer.deliverDue();
        await sweepExpired(this.deps.db);
        await forgetOldUploads(this.deps, this.deps.clock.now());
        await sweepAccounts(this.deps);
        return { ...report, ...holds, accessNotices, ...agenda, ...prevention, mailSent: mail.sent, mailFailed: mail.failed };
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running?.catch(() => undefined);
  }
}
