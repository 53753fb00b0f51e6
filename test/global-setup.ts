// Builds dist/ once before the suites: integration tests start the real `chorus` CLI as a child process, and
// the Markov pool's threads run the compiled worker. CHORUS_SKIP_BUILD=1 skips it when dist/ is known fresh.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  if (process.env['CHORUS_SKIP_BUILD'] === '1') return;
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  });
}
