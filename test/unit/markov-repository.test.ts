import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../store/database.js';
import { MarkovRepository } from '../../store/markov-repository.js';

let db: Db;
let repo: MarkovRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new MarkovRepository(db);
});
afterEach(() => db.close());

describe('MarkovRepository', () => {
  it('adds training messages once per source, bumping the version only for new ones', () => {
    repo.ensureScope('s', 2, 1);
    const rows = [
      { source: 'a', text: 'one' },
      { source: 'b', text: 'two' },
    ];
    expect(repo.addMessages('s', rows, 2)).toEqual(rows);
    expect(repo.addMessages('s', [...rows, { source: 'c', text: 'three' }], 3)).toEqual([
      { source: 'c', text: 'three' },
    ]);
    expect(repo.scope('s')).toMatchObject({
      scope: 's',
      stateSize: 2,
      version: 2,
      messages: 3,
      snapshotVersion: null,
    });
    expect([...repo.messages('s', 2)].map((r) => r.source)).toEqual(['a', 'b', 'c']);
  });

  it('removes a message and returns its text for untraining', () => {
    repo.ensureScope('s', 2, 1);
    repo.addMessages('s', [{ source: 'a', text: 'one' }], 2);
    expect(repo.removeMessage('s', 'a', 3)).toBe('one');
    expect(repo.removeMessage('s', 'a', 4)).toBeUndefined();
    expect(repo.scope('s')).toMatchObject({ messages: 0, version: 2 });
  });

  it('serves a snapshot only while it matches the current version', () => {
    repo.ensureScope('s', 2, 1);
    repo.addMessages('s', [{ source: 'a', text: 'one' }], 2);
    const version = repo.scope('s')!.version;
    repo.saveSnapshot('s', version, new Map([['chain', Buffer.from([1, 2, 3])]]));
    expect(repo.snapshot('s')).toEqual(new Map([['chain', Buffer.from([1, 2, 3])]]));
    repo.addMessages('s', [{ source: 'b', text: 'two' }], 3);
    expect(repo.snapshot('s')).toBeUndefined();
  });

  it('keeps the state size a scope was created with', () => {
    repo.ensureScope('s', 3, 1);
    expect(repo.ensureScope('s', 2, 2).stateSize).toBe(3);
  });
});
