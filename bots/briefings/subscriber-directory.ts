// Who gets a briefing: subscribers from the config file merged with those who subscribed by `/brief`. For a
// person in both, the config file wins (the operator's list is authoritative; the command says so).
// Subscriptions naming an unknown or disabled entity are skipped with a log line.
import type { Logger } from '../../core/logger.js';
import type { ChorusConfig, EntityConfig } from '../../entities/config/index.js';
import type { EntityRoster } from '../../entities/entity-roster.js';
import { formatWeekdays, parseWeekdays } from '../../core/time-of-day.js';
import type { ScheduleSpec } from './schedule.js';
import type { BriefingSubscription, SubscriptionRepository } from './subscription-repository.js';

export class SubscriberDirectory {
  readonly #warned = new Set<string>();

  constructor(
    private readonly config: ChorusConfig,
    private readonly roster: EntityRoster,
    private readonly repository: SubscriptionRepository,
    private readonly logger: Logger,
  ) {}

  /** The entity that answers when none is named: platforms.signal.defaultEntity, else the first enabled one. */
  defaultEntity(): EntityConfig | undefined {
    const named = this.config.platforms.signal.defaultEntity;
    const entity = named ? this.roster.get(named) : undefined;
    if (entity?.enabled) return entity;
    return this.roster.all().find((e) => e.enabled);
  }

  /** The enabled entity with this id or username, or undefined. */
  entity(idOrName: string): EntityConfig | undefined {
    const wanted = idOrName.toLowerCase();
    const entity =
      this.roster.get(idOrName) ??
      this.roster.all().find((e) => e.id.toLowerCase() === wanted || e.username.toLowerCase() === wanted);
    return entity?.enabled ? entity : undefined;
  }

  /** Subscribers from the config file, in file order. */
  fromConfig(): BriefingSubscription[] {
    const { subscribers, defaultTimeZone } = this.config.briefings;
    const result: BriefingSubscription[] = [];
    for (const s of subscribers) {
      const entity = s.entity ? this.entity(s.entity) : this.defaultEntity();
      if (!entity) {
        this.#warnOnce(
          `config:${s.person}`,
          'a configured briefing subscriber names no enabled entity; skipped',
          {
            person: s.person,
            entity: s.entity,
          },
        );
        continue;
      }
      result.push({
        person: s.person,
        entityId: entity.id,
        time: s.time,
        timeZone: s.timeZone ?? defaultTimeZone,
        weekdays: formatWeekdays(parseWeekdays(s.weekdays) ?? new Set([0, 1, 2, 3, 4, 5, 6])),
        location: s.location,
        calendars: s.calendars,
        feeds: s.feeds,
        origin: 'config',
      });
    }
    return result;
  }

  /** The config subscriber that is this person (matched by UUID or by number), if any. */
  configured(...ids: (string | undefined)[]): BriefingSubscription | undefined {
    const wanted = new Set(ids.filter((id): id is string => !!id));
    return this.fromConfig().find((s) => wanted.has(s.person));
  }

  /** Every subscription that can be sent: the config file's, then the stored ones of other people. */
  all(): BriefingSubscription[] {
    const configured = this.fromConfig();
    const taken = new Set(configured.map((s) => s.person));
    const stored = this.repository.all().filter((s) => {
      if (taken.has(s.person)) return false;
      if (this.roster.get(s.entityId)?.enabled) return true;
      this.#warnOnce(
        `stored:${s.person}:${s.entityId}`,
        'a briefing subscription names an unknown or disabled entity; skipped',
        {
          person: s.person,
          entity: s.entityId,
        },
      );
      return false;
    });
    return [...configured, ...stored];
  }

  #warnOnce(key: string, message: string, fields: Record<string, unknown>): void {
    if (this.#warned.has(key)) return;
    this.#warned.add(key);
    this.logger.warn(message, fields);
  }
}

/** The schedule of a subscription (weekdays parsed; an unparsable text means every day). */
export function specOf(
  subscription: Pick<BriefingSubscription, 'time' | 'timeZone' | 'weekdays'>,
): ScheduleSpec {
  return {
    time: subscription.time,
    timeZone: subscription.timeZone,
    weekdays: parseWeekdays(subscription.weekdays) ?? new Set([0, 1, 2, 3, 4, 5, 6]),
  };
}
