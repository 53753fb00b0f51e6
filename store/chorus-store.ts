// The database and its repositories, plus the one transaction that commits processed messages:
// marking an inbound message processed, storing its replies, recording the posts for rate limits and storing
// what it trains in Markov scopes happen together or not at all.
import { join } from 'node:path';
import type { NewOutboxRow } from './outbox-repository.js';
import { openDatabase, type Db } from './database.js';
import { InboxRepository } from './inbox-repository.js';
import { OutboxRepository } from './outbox-repository.js';
import { RatePostRepository } from './rate-post-repository.js';
import { MarkovRepository, type ScopeRows } from './markov-repository.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface ProcessedMessage {
  messageId: number;
  replies: NewOutboxRow[];
  /** Posts to count against rate limits (one per entity that replied). */
  posts: { entityId: string; at: number }[];
  /** Markov training messages the message adds to scopes (stored with it, so it is trained exactly once). */
  training?: readonly ScopeRows[] | undefined;
}

export class ChorusStore {
  readonly inbox: InboxRepository;
  readonly outbox: OutboxRepository;
  readonly ratePosts: RatePostRepository;
  readonly markov: MarkovRepository;
  readonly #commit: (batch: readonly ProcessedMessage[], at: number) => void;

  readonly #checkpointer: WalCheckpointer | undefined;

  /** With `checkpointer`, WAL checkpoints run in a worker thread instead of inside the main thread's commits. */
  constructor(
    readonly db: Db,
    checkpointer?: WalCheckpointer,
  ) {
    this.#checkpointer = checkpointer;
    if (checkpointer) db.pragma('wal_autocheckpoint = 0');
    this.inbox = new InboxRepository(db);
    this.outbox = new OutboxRepository(db);
    this.ratePosts = new RatePostRepository(db);
    this.markov = new MarkovRepository(db);
    this.#commit = db.transaction((batch: readonly ProcessedMessage[], at: number) => {
      const training: ScopeRows[] = [];
      for (const item of batch) {
        for (const reply of item.replies) this.outbox.insert(reply);
        for (const post of item.posts) this.ratePosts.record(post.entityId, post.at);
        this.inbox.markProcessed(item.messageId, at);
        if (item.training) training.push(...item.training);
      }
      if (training.length > 0) this.markov.addToScopes(training, at);
    });
  }

  /** Opens (creating if needed) `chorus.db` in a data directory. */
  static open(dataDir: string): ChorusStore {
    const file = join(dataDir, 'chorus.db');
    const db = openDatabase(file);
    return new ChorusStore(db, new WalCheckpointer(file));
  }

  commitProcessed(batch: readonly ProcessedMessage[], at: number): void {
    this.#commit(batch, at);
  }

  async close(): Promise<void> {
    await this.#checkpointer?.stop();
    if (this.db.open) {
      // Fold the WAL back into the database so a stopped Chorus leaves one tidy file.
      this.db.pragma('wal_checkpoint(TRUNCATE)');
      this.db.close();
    }
  }
}
