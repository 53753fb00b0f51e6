// Where Chorus finds its shipped files, whether run from source (vitest) or from dist/.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the chorus package root');
    dir = parent;
  }
  return dir;
}

export const PACKAGE_ROOT = findPackageRoot();

/** `config-aientities.json` in the working directory if there is one, else the shipped one. */
export function defaultConfigFile(): string {
  const local = resolve('config-aientities.json');
  return existsSync(local) ? local : resolve(PACKAGE_ROOT, 'config-aientities.json');
}
