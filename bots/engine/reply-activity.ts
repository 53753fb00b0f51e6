// What a platform shows while an entity's reply is being generated: Discord renews its typing indicator and
// edits a streamed reply in place; the web playground shows nothing. The engine calls `begin` when it starts
// generating an entity's reply, `update` with the text so far while the cluster streams, and `end` once the
// generation is over (with or without a reply). The finished reply still goes out through the outbox.
import type { StoredMessage } from '../../core/message.js';
import type { EntityConfig } from '../../entities/config/index.js';

export interface ReplyProgress {
  /** The whole text generated so far (not a delta); called as tokens arrive, possibly very often. */
  update(text: string): void;
  /** The generation is over: the reply was produced, abandoned or failed. Called exactly once. */
  end(): void;
}

export interface ReplyActivity {
  /** An entity starts generating its reply to `message`; undefined when the platform shows nothing. */
  begin(entity: EntityConfig, message: StoredMessage): ReplyProgress | undefined;
}
