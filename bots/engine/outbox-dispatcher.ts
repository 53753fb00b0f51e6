// Sends what the outbox holds through the platform adapters, oldest first, and marks each row sent.
// After a crash, rows still unsent are sent at start; the adapters make a resend harmless. Each platform is a
// lane of its own, drained in order, so one that waits (a Discord 429, a slow Signal server) holds up no other.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Platform } from '../../core/message.js';
import type { OutboxRepository, OutboxRow } from '../../store/index.js';

export interface PlatformSender {
  /** Delivers one reply; resolves to the platform's id for it. Must be safe to repeat for the same row. */
  send(row: OutboxRow): Promise<string | null>;
  /** True while the platform has paused its sends (Signal's rate limit): its rows stay pending, no attempt counted. */
  paused?(): boolean;
}

export interface OutboxDispatcherOptions {
  outbox: OutboxRepository;
  senders: ReadonlyMap<Platform, PlatformSender>;
  clock: Clock;
  logger: Logger;
  /** Attempts before a row is given up on. */
  maxAttempts?: number;
  /** How often unsent rows are retried, in ms. */
  retryIntervalMs?: number;
}

interface Lane {
  running: Promise<void> | undefined;
  /** Rows arrived while the lane was draining: drain again when it is done. */
  again: boolean;
}

export class OutboxDispatcher {
  readonly #lanes = new Map<Platform, Lane>();
  #stopped = true;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: OutboxDispatcherOptions) {}

  start(): void {
    this.#stopped = false;
    this.#timer = setInterval(() => this.wake(), this.o.retryIntervalMs ?? 2000);
    this.#timer.unref();
    this.wake();
  }

  wake(): void {
    if (this.#stopped) return;
    for (const [platform, sender] of this.o.senders) this.#wakeLane(platform, sender);
  }

  #wakeLane(platform: Platform, sender: PlatformSender): void {
    let lane = this.#lanes.get(platform);
    if (!lane) {
      lane = { running: undefined, again: false };
      this.#lanes.set(platform, lane);
    }
    if (lane.running) {
      lane.again = true;
      return;
    }
    const current = lane;
    current.running = this.#drain(platform, sender).finally(() => {
      current.running = undefined;
      if (current.again && !this.#stopped) {
        current.again = false;
        this.#wakeLane(platform, sender);
      }
    });
  }

  async #drain(platform: Platform, sender: PlatformSender): Promise<void> {
    let after = 0;
    for (let rows = this.o.outbox.pending(platform, after, 200); rows.length > 0 && !sender.paused?.();) {
      for (const row of rows) {
        if (this.#stopped || sender.paused?.()) return;
        after = row.id;
        await this.#deliver(sender, row);
      }
      rows = this.o.outbox.pending(platform, after, 200);
    }
  }

  async #deliver(sender: PlatformSender, row: OutboxRow): Promise<void> {
    try {
      const platformId = await sender.send(row);
      this.o.outbox.markSent(row.id, this.o.clock.now(), platformId);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (sender.paused?.()) {
        this.o.logger.debug('reply held while the platform pauses its sends', {
          outbox: row.id,
          error: message,
        });
        return;
      }
      if (row.attempts + 1 >= (this.o.maxAttempts ?? 5)) {
        this.o.outbox.markFailed(row.id, this.o.clock.now(), message);
        this.o.logger.error('reply given up after repeated send failures', {
          outbox: row.id,
          error: message,
        });
      } else {
        this.o.outbox.recordFailure(row.id, message);
        this.o.logger.warn('reply send failed; will retry', { outbox: row.id, error: message });
      }
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearInterval(this.#timer);
    await Promise.all([...this.#lanes.values()].map((lane) => lane.running));
  }
}
