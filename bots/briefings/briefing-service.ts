// The briefing service: keeps one schedule per subscriber, decides when a briefing is due (on time, or missed
// but within the grace window, also at start-up), claims the (person, local date) run so exactly one process
// sends it, then gathers the facts, has the persona write it and sends it, spaced out by the send queue.
import { hostname } from 'node:os';
import type { BriefingsConfig } from '../../entities/config/briefings-schema.js';
import type { PlatformContext } from '../platform.js';
import type { SignalCommand } from '../signal/commands/command.js';
import { BriefCommand } from './brief-command.js';
import { BriefingWriter } from './briefing-writer.js';
import { NodeCronScheduler, type BriefingScheduler } from './cron-scheduler.js';
import { SourceFactGatherer, type FactGatherer, type FactRequest } from './fact-gatherer.js';
import { localDate } from '../../core/local-time.js';
import { RunClaims, type BriefingRun } from './run-claims.js';
import { dueRun, nextRun, type DueRun } from './schedule.js';
import { SendQueue } from './send-queue.js';
import { SubscriberDirectory, specOf } from './subscriber-directory.js';
import { SubscriptionRepository, type BriefingSubscription } from './subscription-repository.js';

const MINUTE = 60_000;

/** The parts of the platform context briefings use (a whole PlatformContext fits). */
export type BriefingContext = Pick<
  PlatformContext,
  'config' | 'store' | 'roster' | 'clock' | 'logger' | 'responder'
> & {
  signal?: AbortSignal | undefined;
};

export interface BriefingServiceOptions {
  context: BriefingContext;
  /** Sends the briefing to the person as the entity (a Signal DM); resolves once signal-cli-rest-api accepted it. */
  send(person: string, entityId: string, text: string): Promise<void>;
  /** Identifies this process in claim rows (default hostname:pid). */
  processId?: string;
  /** Where facts come from (default: weather, calendars, feeds, reminders and habits). */
  gatherer?: FactGatherer;
  /** What fires schedules (default: node-cron). */
  scheduler?: BriefingScheduler;
  /** Waits between staggered sends (default: a timer). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface BriefingStatus {
  subscription: BriefingSubscription;
  next?: DueRun | undefined;
  today?: BriefingRun | undefined;
}

export class BriefingService {
  readonly #context: BriefingContext;
  readonly #settings: BriefingsConfig;
  readonly #send: BriefingServiceOptions['send'];
  readonly #processId: string;
  readonly #logger;
  readonly #repository: SubscriptionRepository;
  readonly #claims: RunClaims;
  readonly #directory: SubscriberDirectory;
  readonly #gatherer: FactGatherer;
  readonly #writer: BriefingWriter;
  readonly #scheduler: BriefingScheduler;
  readonly #queue: SendQueue;
  readonly #abort = new AbortController();
  readonly #scheduled = new Set<string>();
  #started = false;

  constructor(options: BriefingServiceOptions) {
    const { context } = options;
    this.#context = context;
    this.#settings = context.config.briefings;
    this.#send = options.send;
    this.#processId = options.processId ?? `${hostname()}:${process.pid}`;
    this.#logger = context.logger.child({ component: 'briefings' });
    const db = context.store.db;
    this.#repository = new SubscriptionRepository(db);
    this.#claims = new RunClaims(db);
    this.#directory = new SubscriberDirectory(context.config, context.roster, this.#repository, this.#logger);
    this.#gatherer = options.gatherer ?? new SourceFactGatherer(this.#settings, db);
    this.#writer = new BriefingWriter(context.responder, this.#logger);
    this.#scheduler = options.scheduler ?? new NodeCronScheduler(this.#logger);
    this.#queue = new SendQueue({
      spacingMs: this.#settings.staggerSeconds * 1000,
      now: () => context.clock.now(),
      ...(options.sleep && { sleep: options.sleep }),
      onError: (key, error) => this.#logger.error('a briefing job failed', { key, error: String(error) }),
    });
    context.signal?.addEventListener('abort', () => void this.stop(), { once: true });
  }

  get directory(): SubscriberDirectory {
    return this.#directory;
  }

  /** Schedules each subscription and sends any briefing missed within the grace window. */
  start(): void {
    if (this.#started || this.#abort.signal.aborted) return;
    this.#started = true;
    this.reschedule();
    this.#scheduler.sweep(() => this.sweep());
    this.sweep();
  }

  async stop(): Promise<void> {
    if (this.#abort.signal.aborted) return;
    this.#abort.abort();
    this.#scheduler.stop();
    this.#scheduled.clear();
    await this.#queue.stop();
  }

  /** Resolves once every queued briefing has been handled (tests, shutdown). */
  idle(): Promise<void> {
    return this.#queue.idle();
  }

  command(): SignalCommand {
    return new BriefCommand(this);
  }

  /** Brings the schedules in line with the subscriptions (after a subscribe or unsubscribe). */
  reschedule(): void {
    if (!this.#started || this.#abort.signal.aborted) return;
    const wanted = new Map(this.#directory.all().map((s) => [s.person, s]));
    for (const person of this.#scheduled) {
      if (!wanted.has(person)) {
        this.#scheduler.remove(person);
        this.#scheduled.delete(person);
      }
    }
    for (const [person, subscription] of wanted) {
      try {
        this.#scheduler.set(person, specOf(subscription), () => this.check(person));
        this.#scheduled.add(person);
      } catch (error) {
        // Only a row edited by hand can hold a bad zone or time: commands and the config are validated.
        this.#logger.warn('a briefing subscription cannot be scheduled; skipped', {
          person,
          time: subscription.time,
          timeZone: subscription.timeZone,
          error: String(error),
        });
      }
    }
  }

  /** Queues every briefing that is due now and not yet sent or claimed. */
  sweep(): void {
    if (this.#abort.signal.aborted) return;
    for (const subscription of this.#directory.all()) this.#consider(subscription);
  }

  #consider(subscription: BriefingSubscription): void {
    try {
      this.#considerDue(subscription);
    } catch (error) {
      this.#logger.warn('a briefing subscription could not be checked', {
        person: subscription.person,
        error: String(error),
      });
    }
  }

  /** Queues this person's briefing when it is due (their node-cron task fired). */
  check(person: string): void {
    if (this.#abort.signal.aborted) return;
    const subscription = this.#directory.all().find((s) => s.person === person);
    if (subscription) this.#consider(subscription);
  }

  #considerDue(subscription: BriefingSubscription): void {
    const now = this.#context.clock.now();
    const due = dueRun(specOf(subscription), now, this.#settings.graceMinutes * MINUTE);
    // A slot from before the subscription (or its last change) was made is not "missed".
    if (!due || due.at < (subscription.since ?? 0)) return;
    const key = `${subscription.person}:${due.localDate}`;
    if (this.#queue.has(key)) return;
    const run = this.#claims.get(subscription.person, due.localDate);
    if (run && (run.sentAt !== null || run.claimedAt > now - this.#claimTimeoutMs())) return;
    if (!this.#queue.push(key, () => this.#deliver(subscription.person, due)))
      this.#logger.warn('the briefing queue is full; a briefing waits for the next sweep', { key });
  }

  #claimTimeoutMs(): number {
    return this.#settings.claimTimeoutMinutes * MINUTE;
  }

  async #deliver(person: string, due: DueRun): Promise<void> {
    // The subscription may have changed while queued.
    const subscription = this.#directory.all().find((s) => s.person === person);
    if (!subscription) return;
    const now = this.#context.clock.now();
    if (!this.#claims.claim(person, due.localDate, this.#processId, now, this.#claimTimeoutMs())) return;
    const fields = { person, date: due.localDate, entity: subscription.entityId };
    // A send may wait long (Signal's rate-limit pause): keep the claim fresh so no other process takes it over.
    const keepAlive = setInterval(
      () => {
        try {
          this.#claims.refresh(person, due.localDate, this.#processId, this.#context.clock.now());
        } catch (error) {
          this.#logger.warn('could not refresh a briefing claim', { ...fields, error: String(error) });
        }
      },
      Math.max(1000, this.#claimTimeoutMs() / 3),
    );
    keepAlive.unref();
    try {
      const written = await this.compose(subscription, due.localDate);
      if (this.#abort.signal.aborted) throw new Error('stopped before sending');
      await this.#send(person, subscription.entityId, written.text);
      this.#claims.markSent(person, due.localDate, this.#processId, this.#context.clock.now());
      this.#logger.info('briefing sent', { ...fields, late: now - due.at > MINUTE, written: written.source });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#claims.markFailed(person, due.localDate, this.#processId, this.#context.clock.now(), message);
      this.#logger.warn(
        'briefing not sent; it is retried after the claim timeout while within the grace window',
        {
          ...fields,
          error: message,
        },
      );
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Gathers the facts and has the entity write the briefing of `date`. */
  async compose(request: FactRequest, date: string): Promise<{ text: string; source: 'llm' | 'template' }> {
    const entity = this.#context.roster.get(request.entityId);
    if (!entity) throw new Error(`unknown entity ${request.entityId}`);
    const facts = await this.#gatherer.gather(request, date, this.#abort.signal);
    return await this.#writer.write(facts, entity, this.#context.clock.now());
  }

  /** `/brief now`: gathers and sends at once, outside the schedule (today's scheduled run is not used up). */
  async sendNow(request: FactRequest): Promise<void> {
    const date = localDate(this.#context.clock.now(), request.timeZone);
    const written = await this.compose(request, date);
    await this.#send(request.person, request.entityId, written.text);
  }

  // ----- subscriptions (for the command) -----

  subscription(person: string, number?: string): BriefingSubscription | undefined {
    return this.#directory.configured(person, number) ?? this.#repository.get(person);
  }

  save(subscription: BriefingSubscription): void {
    this.#repository.save(subscription, this.#context.clock.now());
    this.reschedule();
  }

  unsubscribe(person: string): boolean {
    const removed = this.#repository.remove(person);
    this.reschedule();
    return removed;
  }

  status(person: string, number?: string): BriefingStatus | undefined {
    const subscription = this.subscription(person, number);
    if (!subscription) return undefined;
    const now = this.#context.clock.now();
    const spec = specOf(subscription);
    return {
      subscription,
      next: nextRun(spec, now),
      today: this.#claims.get(subscription.person, localDate(now, subscription.timeZone)),
    };
  }

  get settings(): BriefingsConfig {
    return this.#settings;
  }
}
