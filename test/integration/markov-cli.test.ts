// `chorus train`, `chorus generate` and `chorus markov stats`, run as child processes on a real data directory.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { seededRandom } from '../../core/random.js';
import { tempDir } from '../support/test-fleet.js';

const CLI = 'dist/scripts/chorus.js';
const CORPUS = new URL('../../../shared/corpus/ubuntu-irc.tsv', import.meta.url).pathname;
const chorus = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** Lines of the IRC corpus, or varied stand-ins in its format when ../shared is absent. */
function corpusLines(count: number): string[] {
  if (existsSync(CORPUS)) return readFileSync(CORPUS, 'utf8').split('\n').slice(0, count);
  const words =
    'how do i install the package on ubuntu today kernel driver update boot grub apt fails why'.split(' ');
  const random = seededRandom(3);
  const pick = () => words[Math.floor(random() * words.length)] as string;
  return Array.from(
    { length: count },
    (_, i) =>
      `x\t12:00\tnick${i % 9}\t${Array.from({ length: 4 + Math.floor(random() * 9) }, pick).join(' ')}`,
  );
}

let dir: ReturnType<typeof tempDir>;
let data: string;
let sample: string;
beforeAll(() => {
  dir = tempDir();
  data = join(dir.path, 'data');
  sample = join(dir.path, 'sample.tsv');
  writeFileSync(sample, `${corpusLines(3000).join('\n')}\n`);
});
afterAll(() => dir.remove());

describe('Markov CLI', () => {
  it('trains a scope, and training the same input again changes nothing', () => {
    const first = chorus('train', '--scope', 'irc', '--data', data, sample);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/scope irc: read \d+ messages from 1 file\(s\), (\d+) new; \1 in the scope/);
    const stats = chorus('markov', 'stats', '--scope', 'irc', '--data', data).stdout;
    const again = chorus('train', '--scope', 'irc', '--data', data, sample);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/, 0 new;/);
    // Everything but the time it took and the time of the last change.
    const figures = (text: string) => text.replace(/(load|updated) .*/g, '');
    expect(figures(chorus('markov', 'stats', '--scope', 'irc', '--data', data).stdout)).toBe(figures(stats));
  });

  it('generates replies, seeded or not', () => {
    const seeded = chorus(
      'generate',
      '--scope',
      'irc',
      '--data',
      data,
      '--seed',
      'install ubuntu',
      '-n',
      '3',
    );
    expect(seeded.status).toBe(0);
    const replies = seeded.stdout.trim().split('\n');
    expect(replies.length).toBeGreaterThanOrEqual(1);
    for (const reply of replies) expect(reply.split(/\s+/).length).toBeGreaterThanOrEqual(3);
    expect(chorus('generate', '--scope', 'irc', '--data', data).status).toBe(0);
  });

  it('names an unknown scope, a missing file and a binary file clearly', () => {
    const unknown = chorus('generate', '--scope', 'nope', '--data', data);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain('unknown scope "nope"; known scopes: irc');
    const missing = chorus('train', '--scope', 'irc', '--data', data, join(dir.path, 'absent.txt'));
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('absent.txt');
    const binary = join(dir.path, 'blob.txt');
    writeFileSync(binary, Buffer.from([0, 1, 2, 3, 0, 255, 0]));
    const refused = chorus('train', '--scope', 'irc', '--data', data, binary);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('binary content');
  });

  it('resumes a training run killed half-way, ending where an uninterrupted run ends', async () => {
    const big = join(dir.path, 'big.tsv');
    writeFileSync(big, `${corpusLines(60_000).join('\n')}\n`);
    const killedData = join(dir.path, 'killed');
    const child = spawn(process.execPath, [CLI, 'train', '--scope', 'irc', '--data', killedData, big]);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it once some batches are stored, before it is done.
    const stored = () => {
      if (!existsSync(join(killedData, 'chorus.db'))) return 0;
      const db = new Database(join(killedData, 'chorus.db'), { readonly: true, fileMustExist: true });
      try {
        return (
          (db.prepare('SELECT coalesce(max(messages), 0) FROM markov_scopes').pluck().get() as number) ?? 0
        );
      } catch {
        return 0;
      } finally {
        db.close();
      }
    };
    while (stored() === 0 && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    expect(stored()).toBeLessThan(60_000);

    const resumed = chorus('train', '--scope', 'irc', '--data', killedData, big);
    expect(resumed.status).toBe(0);
    const whole = join(dir.path, 'whole');
    expect(chorus('train', '--scope', 'irc', '--data', whole, big).status).toBe(0);
    const figures = (d: string) =>
      chorus('markov', 'stats', '--scope', 'irc', '--data', d).stdout.replace(/(load|updated) .*/g, '');
    expect(figures(killedData)).toBe(figures(whole));
  });

  it('prints help for the new commands', () => {
    expect(chorus('train', '--help').stdout).toContain('Usage: chorus train');
    expect(chorus('generate', '--help').stdout).toContain('Usage: chorus generate');
    expect(chorus('markov', '--help').stdout).toContain('Usage: chorus markov stats');
  });
});
