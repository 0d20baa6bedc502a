/**
 * BENCH_PROFILE=<dir>: a CPU profile of the benchmark process (client and Carnet, which share it) for each
 * phase, written as <dir>/<size>-<phase>.cpuprofile (open in Chrome DevTools or speedscope), and a one-line
 * summary of where the time went, by package, on stderr. PostgreSQL's own time is not in it (another process);
 * PGlite's is (its WASM runs in this process).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export class Profiler {
  private session: Session | undefined;

  constructor(private readonly dir: string | undefined) {}

  get enabled(): boolean {
    return this.dir !== undefined;
  }

  async around<T>(name: string, fn: () => Promise<T>): Promise<T> {
    if (!this.dir) return fn();
    if (!this.session) {
      fs.mkdirSync(this.dir, { recursive: true });
      this.session = new Session();
      this.session.connect();
      await this.session.post('Profiler.enable');
      await this.session.post('Profiler.setSamplingInterval', { interval: 500 });
    }
    await this.session.post('Profiler.start');
    try {
      return await fn();
    } finally {
      const { profile } = (await this.session.post('Profiler.stop')) as unknown as { profile: Profile };
      const file = path.join(this.dir, `${name.replace(/[^A-Za-z0-9_.-]+/g, '-')}.cpuprofile`);
      fs.writeFileSync(file, JSON.stringify(profile));
      process.stderr.write(`[profile] ${name}: ${summarize(profile)} (${file})\n`);
    }
  }

  close(): void {
    this.session?.disconnect();
  }
}

/** Where a function lives: a package, a part of Carnet, Node itself, or the engine's own entries. */
function category(frame: ProfileNode['callFrame']): string {
  const { url, functionName } = frame;
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle (waiting on I/O)';
    if (functionName === '(program)') return 'V8/native';
    return `native ${functionName || '?'}`;
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + '/node_modules/'.length).split('/');
    const pkg = parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
    return pkg === '@electric-sql/pglite' ? 'PGlite' : pkg;
  }
  const src = /\/dist\/src\/([^/]+)(?:\/([^/]+))?/.exec(url);
  if (src) return `carnet ${src[1]}${src[2] && !src[2].endsWith('.js') ? `/${src[2]}` : ''}`;
  if (url.includes('/dist/bench/')) return 'bench client';
  if (url.includes('undici')) return 'node fetch (undici)';
  if (url.startsWith('node:')) return 'node';
  return 'other';
}

function summarize(profile: Profile): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const cat = category(byId.get(id)!.callFrame);
    time.set(cat, (time.get(cat) ?? 0) + dt);
    total += dt;
  });
  return [...time.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 9)
    .map(([cat, t]) => `${cat} ${((100 * t) / total).toFixed(0)}%`)
    .join(', ');
}
