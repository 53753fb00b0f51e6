import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { migrate, openDatabase, type Db } from '../../store/database.js';
import { MIGRATIONS } from '../../store/migrations.js';
import { MarkovRepository } from '../../store/markov-repository.js';

let db: Db;
let repo: MarkovRepository;
beforeEach(() => {
  db = openDatabase(':memory:');
  repo = new MarkovRepository(db);
});
afterEach(() => db.close());

const texts = (afterSeq = 0) => [...repo.messagesAfter('s', afterSeq, 2)].map((r) => [r.seq, r.text]);

describe('MarkovRepository', () => {
  it('numbers new training messages in arrival order, skipping known sources', () => {
    expect(repo.ensureScope('s', 2, 1)).toBe(true);
    expect(repo.ensureScope('s', 2, 1)).toBe(false);
    const rows = [
      { source: 'b', text: 'one' },
      { source: 'a', text: 'two' },
    ];
    expect(repo.addMessages('s', rows, 2)).toEqual(rows);
    expect(repo.addMessages('s', [...rows, { source: 'c', text: 'three' }], 3)).toEqual([
      { source: 'c', text: 'three' },
    ]);
    expect(repo.scope('s')).toMatchObject({ version: 2, messages: 3, lastSeq: 3, snapshotVersion: null });
    expect(texts()).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
    ]);
    expect(texts(2)).toEqual([[3, 'three']]);
  });

  it('adds batches to several scopes in one go, numbering each scope on its own', () => {
    repo.ensureScope('s', 2, 1);
    repo.ensureScope('t', 2, 1);
    repo.addMessages('t', [{ source: 'x', text: 'earlier' }], 1);
    const rows = [{ source: 'inbox:1', text: 'hello' }];
    expect(
      repo.addToScopes(
        [
          { scope: 's', rows },
          { scope: 't', rows },
        ],
        2,
      ),
    ).toBe(2);
    expect(repo.scope('s')).toMatchObject({ lastSeq: 1, messages: 1 });
    expect(repo.scope('t')).toMatchObject({ lastSeq: 2, messages: 2 });
  });

  it('refuses messages for a scope that does not exist', () => {
    expect(() => repo.addMessages('nope', [{ source: 'a', text: 'x' }], 1)).toThrow(
      /unknown Markov scope "nope"/,
    );
  });

  it('journals a removal with the removed message, for loaded models to untrain', () => {
    repo.ensureScope('s', 2, 1);
    repo.addMessages(
      's',
      [
        { source: 'a', text: 'one' },
        { source: 'b', text: 'two' },
      ],
      2,
    );
    expect(repo.removeMessage('s', 'a', 3)).toBe('one');
    expect(repo.removeMessage('s', 'a', 4)).toBeUndefined();
    expect(repo.scope('s')).toMatchObject({ messages: 1, version: 2, lastSeq: 2 });
    expect(repo.removalsAfter('s', 0)).toEqual([{ id: 1, seq: 1, text: 'one' }]);
    expect(repo.lastRemoval('s')).toBe(1);
    // A source added again after its removal is a new message.
    repo.addMessages('s', [{ source: 'a', text: 'one, edited' }], 5);
    expect(texts()).toEqual([
      [2, 'two'],
      [3, 'one, edited'],
    ]);
  });

  it('keeps the newest snapshot and drops the removals it includes', () => {
    repo.ensureScope('s', 2, 1);
    repo.addMessages(
      's',
      [
        { source: 'a', text: 'one' },
        { source: 'b', text: 'two' },
      ],
      2,
    );
    repo.removeMessage('s', 'a', 3);
    const blobs = new Map([['chain', Buffer.from([1, 2, 3])]]);
    expect(repo.saveSnapshot('s', { version: 2, seq: 2, removal: 1 }, blobs)).toBe(true);
    expect(repo.snapshot('s')).toEqual(blobs);
    expect(repo.scope('s')).toMatchObject({ snapshotVersion: 2, snapshotSeq: 2, snapshotRemoval: 1 });
    expect(repo.removalsAfter('s', 0)).toEqual([]);
    // Changes after it leave it in place (readers catch up); an older one does not replace it.
    repo.addMessages('s', [{ source: 'c', text: 'three' }], 4);
    expect(repo.snapshot('s')).toEqual(blobs);
    expect(repo.saveSnapshot('s', { version: 1, seq: 1, removal: 0 }, new Map())).toBe(false);
    expect(repo.snapshot('s')).toEqual(blobs);
  });

  it('lists sources by prefix', () => {
    repo.ensureScope('s', 2, 1);
    repo.addMessages(
      's',
      ['seed:1', 'inbox:5', 'seed:2'].map((source) => ({ source, text: source })),
      2,
    );
    expect(repo.sources('s', 'seed:')).toEqual(['seed:1', 'seed:2']);
  });

  it('keeps the state size a scope was created with', () => {
    repo.ensureScope('s', 3, 1);
    repo.ensureScope('s', 2, 2);
    expect(repo.scope('s')?.stateSize).toBe(3);
  });

  it('migrates version 2 scopes, numbering their messages and dropping old snapshots', () => {
    const old = new Database(':memory:');
    for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
    old.pragma('user_version = 2');
    old.exec(`
      INSERT INTO markov_scopes (scope, state_size, version, messages, snapshot_version, updated_at)
        VALUES ('s', 2, 1, 2, 1, 0);
      INSERT INTO markov_messages (scope, source, text) VALUES ('s', 'b', 'two'), ('s', 'a', 'one');
      INSERT INTO markov_snapshots (scope, name, data) VALUES ('s', 'chain', x'00');
    `);
    migrate(old);
    const migrated = new MarkovRepository(old);
    expect(migrated.scope('s')).toMatchObject({ messages: 2, lastSeq: 2, snapshotVersion: null });
    expect([...migrated.messagesAfter('s')]).toEqual([
      { seq: 1, text: 'one' },
      { seq: 2, text: 'two' },
    ]);
    migrated.addMessages('s', [{ source: 'c', text: 'three' }], 1);
    expect(migrated.scope('s')?.lastSeq).toBe(3);
    old.close();
  });
});
