// The database and its repositories, plus the one transaction that commits processed messages:
// marking an inbound message processed, storing its replies and recording the posts for rate limits
// happen together or not at all.
import { join } from 'node:path';
import type { NewOutboxRow } from './outbox-repository.js';
import { openDatabase, type Db } from './database.js';
import { InboxRepository } from './inbox-repository.js';
import { OutboxRepository } from './outbox-repository.js';
import { RatePostRepository } from './rate-post-repository.js';

export interface ProcessedMessage {
  messageId: number;
  replies: NewOutboxRow[];
  /** Posts to count against rate limits (one per entity that replied). */
  posts: { entityId: string; at: number }[];
}

export class ChorusStore {
  readonly inbox: InboxRepository;
  readonly outbox: OutboxRepository;
  readonly ratePosts: RatePostRepository;
  readonly #commit: (batch: readonly ProcessedMessage[], at: number) => void;

  readonly #checkpoints: NodeJS.Timeout;

  constructor(readonly db: Db) {
    // Checkpoint the WAL on a timer instead of inside whichever commit crosses the threshold, so the
    // engine's commits never pay for it; PASSIVE never blocks readers or writers.
    db.pragma('wal_autocheckpoint = 0');
    this.#checkpoints = setInterval(() => this.checkpoint(), 1000);
    this.#checkpoints.unref();
    this.inbox = new InboxRepository(db);
    this.outbox = new OutboxRepository(db);
    this.ratePosts = new RatePostRepository(db);
    this.#commit = db.transaction((batch: readonly ProcessedMessage[], at: number) => {
      for (const item of batch) {
        for (const reply of item.replies) this.outbox.insert(reply);
        for (const post of item.posts) this.ratePosts.record(post.entityId, post.at);
        this.inbox.markProcessed(item.messageId, at);
      }
    });
  }

  /** Opens (creating if needed) `chorus.db` in a data directory. */
  static open(dataDir: string): ChorusStore {
    return new ChorusStore(openDatabase(join(dataDir, 'chorus.db')));
  }

  commitProcessed(batch: readonly ProcessedMessage[], at: number): void {
    this.#commit(batch, at);
  }

  checkpoint(): void {
    if (this.db.open) this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  close(): void {
    clearInterval(this.#checkpoints);
    if (this.db.open) this.db.close();
  }
}
