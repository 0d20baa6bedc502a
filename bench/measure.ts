import net from 'node:net';

/** The measuring tools of the benchmarks: timed phases on concurrent clients, percentiles, a free port. */

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

