import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the Carnet package is: the nearest folder above this module that holds a package.json (the checkout
 * when run from the sources, the installed package when built into dist/). The shipped data (data/prevention,
 * data/reference), the built web app (dist/web) and the version are found from it.
 */

let root: string | undefined;

export function packageRoot(): string {
  if (root === undefined) {
    const here = fileURLToPath(import.meta.url);
    let dir = dirname(here);
    while (!existsSync(join(dir, 'package.json'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`package.json not found above ${here}`);
      dir = parent;
    }
    root = dir;
  }
  return root;
}

/** A path inside the package, e.g. packagePath('data', 'prevention'). */
export function packagePath(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
