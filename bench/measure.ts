import fs from 'node:fs';
import net from 'node:net';

/** The measuring tools of the benchmarks: timed phases on concurrent clients, percentiles, a free port, the CPU of PostgreSQL's backends. */

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export interface Measured {
  count: number;
  seconds: number;
  p50: number;
  p95: number;
  capped: boolean;
}

/** Runs op `count` times on `concurrency` clients, stopping at the time cap; the first error stops everything. */
export async function measure(count: number, concurrency: number, capSeconds: number, op: (i: number) => Promise<void>): Promise<Measured> {
  const latencies: number[] = [];
  let next = 0;
  let failure: unknown;
  const deadline = Date.now() + capSeconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (failure === undefined && next < count && Date.now() < deadline) {
        const i = next++;
        const t0 = performance.now();
        try {
          await op(i);
        } catch (err) {
          failure ??= err;
          return;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  if (failure !== undefined) throw failure;
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), capped: latencies.length < count };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}


/** CPU seconds (user + system) of the PostgreSQL backends serving this database, by pid (Linux /proc; empty elsewhere). */
export function pgBackendCpu(database: string): Map<number, number> {
  const out = new Map<number, number>();
  let pids: string[];
  try {
    pids = fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return out;
  }
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres: ') || !cmd.includes(` ${database} `)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime are fields 14 and 15 of stat (11 and 12 after the name), in clock ticks (USER_HZ, 100)
      out.set(Number(pid), (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}
