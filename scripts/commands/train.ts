// `chorus train --scope SCOPE FILE...`: trains a Markov scope from text, TSV or DiscordChatExporter files.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { ProgressBar } from '../../markov/progress-bar.js';
import { readTrainingFile, TrainingInputError } from '../../markov/training-input.js';
import type { TrainingRow } from '../../store/index.js';
import type { CommandIo } from './command-io.js';
import { chainSummary, SCOPE_NAME, withScopes } from './open-scopes.js';

export const trainHelp = `Usage: chorus train --scope SCOPE [--state-size N] [--data DIR] FILE...

Trains the Markov chain of SCOPE from files: plain text (one message per line), TSV like the
IRC corpus (the last field is the text), or a DiscordChatExporter JSON export.
Training the same input twice changes nothing; an interrupted run resumes when run again.

  --scope SCOPE     e.g. web:general, entity:sage, or any name of letters, digits and : . @ - _
  --state-size N    words of context per state, 1 to 4 (default 2; fixed when the scope is created)
  --data DIR        the data directory (default: ./data)`;

export interface TrainArgs {
  scope: string;
  stateSize: number;
  data: string;
  files: string[];
  /** Where the progress bar is drawn, and whether it is a terminal. */
  progress: { write: (s: string) => void; isTTY: boolean };
}

async function fileKey(file: string): Promise<string> {
  const hash = createHash('sha1');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex').slice(0, 16);
}

export async function train(args: TrainArgs, io: CommandIo): Promise<number> {
  if (!SCOPE_NAME.test(args.scope)) {
    io.err(`chorus train: invalid scope "${args.scope}": use letters, digits and : . @ - _ (at most 128)`);
    return 2;
  }
  if (args.files.length === 0) {
    io.err('chorus train: no FILE given');
    return 2;
  }
  return withScopes(args.data, async ({ scopes, pool }) => {
    const started = performance.now();
    let read = 0;
    let added = 0;
    for (const file of args.files) {
      try {
        const info = statSync(file);
        const size = info.isFile() ? info.size : 0;
        const key = size > 0 ? await fileKey(file) : 'empty';
        const bar = new ProgressBar({ total: size, ...args.progress, label: 'train' });
        let batch: TrainingRow[] = [];
        let bytes = 0;
        const flush = () => {
          added += scopes.add(args.scope, args.stateSize, batch);
          batch = [];
        };
        for await (const message of readTrainingFile(file, { onBytes: (b) => (bytes = b) })) {
          batch.push({ source: message.source ?? `file:${key}:${message.line}`, text: message.text });
          read++;
          if (batch.length >= 5000) {
            flush();
            bar.update(bytes, read);
          }
        }
        flush();
        bar.finish(read);
      } catch (error) {
        if (error instanceof TrainingInputError) {
          io.err(`chorus train: ${error.message}`);
          io.err(`chorus train: ${added} new messages from earlier files are kept; run again to resume`);
          return 1;
        }
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          io.err(`chorus train: ${file}: file not found`);
          return 1;
        }
        throw error;
      }
    }
    const figures = await pool.run({ kind: 'build', scope: args.scope });
    const row = scopes.require(args.scope);
    const seconds = (performance.now() - started) / 1000;
    io.out(
      `scope ${args.scope}: read ${read} messages from ${args.files.length} file(s), ${added} new; ` +
        `${row.messages} in the scope`,
    );
    io.out(
      `trained in ${seconds.toFixed(2)} s (${Math.round(read / seconds)} msg/s); chain: ${chainSummary(figures)}`,
    );
    return 0;
  });
}
