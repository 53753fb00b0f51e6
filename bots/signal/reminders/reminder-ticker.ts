// Sends due reminders, each once: a reminder is claimed (notified_at set) before it is sent and the claim is
// given back when the send fails, so a later tick retries it. A crash between the claim and the send loses
// that one reminder rather than sending it twice. Ticks never overlap and skip while sends are paused.
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../core/logger.js';
import type { Reminder, ReminderRepository } from '../../../store/reminder-repository.js';

export interface ReminderTickerOptions {
  reminders: ReminderRepository;
  clock: Clock;
  logger: Logger;
  /** False while a rate limit pauses sends: the tick does nothing. */
  canSend(): boolean;
  /** Sends the reminder to its person; rejects when it was not sent. */
  deliver(reminder: Reminder): Promise<void>;
}

export class ReminderTicker {
  #running: Promise<void> | undefined;

  constructor(private readonly o: ReminderTickerOptions) {}

  /** One pass over the due reminders; a call while a pass runs joins it. */
  tick(): Promise<void> {
    this.#running ??= this.#pass().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Resolves once the pass under way (if any) is over. */
  async idle(): Promise<void> {
    await this.#running;
  }

  async #pass(): Promise<void> {
    const { reminders, clock, logger } = this.o;
    for (const reminder of reminders.due(clock.now())) {
      if (!this.o.canSend()) return;
      const claimedAt = clock.now();
      if (!reminders.claim(reminder.id, claimedAt)) continue;
      try {
        await this.o.deliver(reminder);
      } catch (error) {
        reminders.release(reminder.id, claimedAt);
        logger.warn('a reminder could not be sent; it is retried', {
          reminder: reminder.id,
          error: error instanceof Error ? error.message : String(error),
        });
        return;
      }
    }
  }
}
