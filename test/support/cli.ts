import { vi } from 'vitest';
import { main } from '../../src/cli/main.js';

/** Runs the `carnet` CLI in this process with these settings, capturing what it prints and its exit code. */
export async function runCli(args: string[], env: Record<string, string | undefined>): Promise<{ code: number; out: string; err: string }> {
  const saved = { ...process.env };
  // Vitest sets BASE_URL=/ for Vite; Carnet would rightly refuse it as a setting
  env = { BASE_URL: undefined, ...env };
  Object.assign(process.env, env);
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a) => void err.push(a.join(' ')));
  try {
    const code = await main(args);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.env = saved;
  }
}
