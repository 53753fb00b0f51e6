import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from '../../core/clock.js';
import { seededRandom } from '../../core/random.js';
import { MarkovScopes, UnknownScopeError, type LoadedScope } from '../../markov/markov-scopes.js';
import { openDatabase, type Db } from '../../store/database.js';
import { MarkovRepository } from '../../store/markov-repository.js';

let db: Db;
let repo: MarkovRepository;
let scopes: MarkovScopes;
beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new MarkovRepository(db);
  scopes = new MarkovScopes(repo, new FakeClock(0));
});
afterEach(() => db.close());

const line = (i: number) => `message ${i} talks about topic ${i % 7} and the word ${i % 13} today`;
const rows = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, k) => ({ source: `m${from + k}`, text: line(from + k) }));

/** The counts a model holds once compacted: what a fresh build of the same messages must hold too. */
function counts(loaded: LoadedScope) {
  scopes.compact(loaded, true);
  const { messages, transitions, forwardStates } = loaded.model.stats;
  return { messages, transitions, forwardStates };
}

const fresh = () => counts(scopes.build('s'));

describe('MarkovScopes', () => {
  it('builds a snapshot the first time, then catches up with new messages without rebuilding', () => {
    scopes.add('s', 2, rows(0, 50));
    const loaded = scopes.load('s');
    expect(loaded.model.stats.messages).toBe(50);
    expect(repo.scope('s')).toMatchObject({ snapshotSeq: 50 });

    scopes.add('s', 2, rows(50, 60));
    const same = scopes.refresh(loaded);
    expect(same).toBe(loaded);
    expect(loaded.model.stats.messages).toBe(60);
    expect(loaded.model.pending).toBe(10);
    expect(repo.scope('s')).toMatchObject({ snapshotSeq: 50 });
    // A second reader starts from the snapshot and catches up the same way.
    expect(scopes.load('s').model.stats.messages).toBe(60);
  });

  it('untrains removed messages, whether in the snapshot or added since', () => {
    scopes.add('s', 2, rows(0, 40));
    const loaded = scopes.load('s');
    scopes.add('s', 2, rows(40, 50));
    scopes.refresh(loaded);
    expect(scopes.remove('s', 'm3')).toBe(true); // in the snapshot
    expect(scopes.remove('s', 'm45')).toBe(true); // learnt since
    scopes.add('s', 2, rows(50, 52));
    expect(scopes.remove('s', 'm51')).toBe(true); // added and removed before this reader saw it
    expect(scopes.remove('s', 'nope')).toBe(false);
    scopes.refresh(loaded);
    expect(loaded.model.stats.messages).toBe(49);
    expect(counts(loaded)).toEqual(fresh());
  });

  it('merges piled-up changes into a new snapshot that later loads start from', () => {
    scopes.add('s', 2, rows(0, 100));
    const loaded = scopes.load('s');
    scopes.add('s', 2, rows(100, 120));
    scopes.refresh(loaded);
    expect(scopes.compact(loaded)).toBe(false); // 20 changes: not yet
    expect(scopes.compact(loaded, true)).toBe(true);
    expect(loaded.model.pending).toBe(0);
    expect(repo.scope('s')).toMatchObject({ snapshotSeq: 120 });
    expect(scopes.load('s').model.pending).toBe(0);
  });

  it('reloads a reader whose journal of removals a newer snapshot has dropped', () => {
    scopes.add('s', 2, rows(0, 30));
    const first = scopes.load('s');
    const second = scopes.load('s');
    scopes.remove('s', 'm1');
    scopes.refresh(first);
    scopes.compact(first, true);
    expect(repo.removalsAfter('s', 0)).toEqual([]);
    const reloaded = scopes.refresh(second);
    expect(reloaded).not.toBe(second);
    expect(reloaded.model.stats.messages).toBe(29);
  });

  it('rebuilds when a bulk of messages outnumbers what the snapshot holds', () => {
    scopes.add('s', 2, rows(0, 10));
    scopes.load('s');
    scopes.add('s', 2, rows(10, 2000));
    const loaded = scopes.load('s');
    expect(loaded.model.pending).toBe(0);
    expect(repo.scope('s')).toMatchObject({ snapshotSeq: 2000 });
  });

  it('stays equal to a fresh build through random changes', () => {
    const random = seededRandom(11);
    scopes.add('s', 2, rows(0, 200));
    let loaded = scopes.load('s');
    let next = 200;
    const live = new Set(Array.from({ length: 200 }, (_, i) => i));
    for (let round = 0; round < 30; round++) {
      for (let k = 0; k < 5; k++) {
        if (random() < 0.6) {
          scopes.add('s', 2, rows(next, next + 1));
          live.add(next++);
        } else {
          const victims = [...live];
          const victim = victims[Math.floor(random() * victims.length)] as number;
          scopes.remove('s', `m${victim}`);
          live.delete(victim);
        }
      }
      loaded = scopes.refresh(loaded);
      if (round % 10 === 9) scopes.compact(loaded, true);
    }
    expect(loaded.model.stats.messages).toBe(live.size);
    expect(counts(loaded)).toEqual(fresh());
  });

  it('names the known scopes when asked for an unknown one', () => {
    scopes.add('alpha', 2, rows(0, 1));
    expect(() => scopes.load('beta')).toThrow(UnknownScopeError);
    expect(() => scopes.load('beta')).toThrow('unknown scope "beta"; known scopes: alpha');
  });
});
