// What a command may touch of the outside world, injected so commands can be tested in-process.
import type { Environment } from '../../entities/config/index.js';

export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  env: Environment;
}

export const processIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  env: process.env,
};
