// The trigger for briefings: one node-cron task per subscriber at their HH:MM on their weekdays, evaluated by
// node-cron in their IANA zone, plus a sweep every 5 minutes (on the hour, :05, …). The sweep catches what the
// per-subscriber task cannot: a day whose time falls in a spring-forward gap (node-cron ≥ 4.3 skips it; our
// rule sends at the first minute after the gap, which is on the hour in every zone), a heartbeat node-cron
// reports as missed, and a claim to retry after a failed send.
// Whether a briefing is really due, and by whom it is sent, is decided by the service, never by the trigger.
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from '../../core/logger.js';
import { isValidTimeZone } from '../../core/local-time.js';
import { cronExpression, type ScheduleSpec } from './schedule.js';

export interface BriefingScheduler {
  /** Calls `fire` at the spec's times, replacing an earlier schedule under `key`. */
  set(key: string, spec: ScheduleSpec, fire: () => void): void;
  remove(key: string): void;
  /** Calls `tick` every few minutes (on the hour and every 5 minutes after it) until stopped. */
  sweep(tick: () => void): void;
  /** The next time node-cron will fire for `key`, if scheduled. */
  nextFire(key: string): number | undefined;
  stop(): void;
}

export class NodeCronScheduler implements BriefingScheduler {
  readonly #tasks = new Map<string, ScheduledTask>();
  #sweep: ScheduledTask | undefined;
  readonly #cronLogger;

  constructor(private readonly logger: Logger) {
    this.#cronLogger = {
      info: (message: string) => logger.debug(`node-cron: ${message}`),
      warn: (message: string) => logger.debug(`node-cron: ${message}`),
      error: (message: string | Error) => logger.warn(`node-cron: ${String(message)}`),
      debug: (message: string | Error) => logger.debug(`node-cron: ${String(message)}`),
    };
  }

  set(key: string, spec: ScheduleSpec, fire: () => void): void {
    this.remove(key);
    // node-cron accepts an unknown zone here and fails later (even in destroy()): refuse it up front.
    if (!isValidTimeZone(spec.timeZone)) throw new Error(`unknown time zone ${spec.timeZone}`);
    const task = createTask(cronExpression(spec), () => fire(), {
      timezone: spec.timeZone,
      name: `briefing:${key}`,
      logger: this.#cronLogger,
      suppressMissedWarning: true,
      unref: true,
    });
    // A beat node-cron reports as missed (the process was blocked or the clock jumped) still gets a look:
    // whether it is due, within the grace window, is the service's decision.
    task.on('execution:missed', () => fire());
    this.#tasks.set(key, task);
    void Promise.resolve(task.start()).catch((error: unknown) =>
      this.logger.warn('could not start a briefing schedule', { key, error: String(error) }),
    );
  }

  remove(key: string): void {
    const task = this.#tasks.get(key);
    if (!task) return;
    this.#tasks.delete(key);
    try {
      void Promise.resolve(task.destroy()).catch(() => undefined);
    } catch (error) {
      this.logger.debug('a briefing schedule did not destroy cleanly', { key, error: String(error) });
    }
  }

  sweep(tick: () => void): void {
    if (this.#sweep) void Promise.resolve(this.#sweep.destroy()).catch(() => undefined);
    this.#sweep = createTask('*/5 * * * *', () => tick(), {
      name: 'briefing:sweep',
      logger: this.#cronLogger,
      suppressMissedWarning: true,
      unref: true,
    });
    this.#sweep.on('execution:missed', () => tick());
    void Promise.resolve(this.#sweep.start()).catch(() => undefined);
  }

  nextFire(key: string): number | undefined {
    return this.#tasks.get(key)?.getNextRun()?.getTime();
  }

  stop(): void {
    for (const key of [...this.#tasks.keys()]) this.remove(key);
    if (this.#sweep) void Promise.resolve(this.#sweep.destroy()).catch(() => undefined);
    this.#sweep = undefined;
  }
}
