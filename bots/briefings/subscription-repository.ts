// Briefing subscriptions made by `/brief subscribe`, kept in briefing_subscriptions (migration 4).
import type { Db } from '../../store/index.js';

export interface BriefingLocation {
  name?: string | undefined;
  latitude?: number | undefined;
  longitude?: number | undefined;
}

export interface BriefingSubscription {
  /** Signal recipient: UUID, or number when no UUID is known. */
  person: string;
  entityId: string;
  /** HH:MM */
  time: string;
  timeZone: string;
  /** Canonical weekday text (`daily`, `mon,tue,…`). */
  weekdays: string;
  location?: BriefingLocation | undefined;
  calendars: string[];
  feeds: string[];
  /** Where the subscription comes from: a `/brief` command (stored) or the config file. */
  origin: 'command' | 'config';
  /** When a stored subscription was made or last changed (ms); earlier slots are never sent. */
  since?: number | undefined;
}

interface Row {
  person: string;
  entity_id: string;
  local_time: string;
  time_zone: string;
  weekdays: string;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  calendars: string;
  feeds: string;
  updated_at: number;
}

function stringList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toSubscription(r: Row): BriefingSubscription {
  const location: BriefingLocation = {};
  if (r.location !== null) location.name = r.location;
  if (r.latitude !== null && r.longitude !== null) {
    location.latitude = r.latitude;
    location.longitude = r.longitude;
  }
  return {
    person: r.person,
    entityId: r.entity_id,
    time: r.local_time,
    timeZone: r.time_zone,
    weekdays: r.weekdays === '*' ? 'daily' : r.weekdays,
    location: Object.keys(location).length > 0 ? location : undefined,
    calendars: stringList(r.calendars),
    feeds: stringList(r.feeds),
    origin: 'command',
    since: r.updated_at,
  };
}

export class SubscriptionRepository {
  readonly #get;
  readonly #all;
  readonly #upsert;
  readonly #remove;

  constructor(db: Db) {
    const columns = `person, entity_id, local_time, time_zone, weekdays, location, latitude, longitude, calendars, feeds`;
    this.#get = db.prepare<[string], Row>(
      `SELECT ${columns}, updated_at FROM briefing_subscriptions WHERE person = ?`,
    );
    this.#all = db.prepare<[], Row>(
      `SELECT ${columns}, updated_at FROM briefing_subscriptions ORDER BY person`,
    );
    this.#upsert = db.prepare(
      `INSERT INTO briefing_subscriptions (${columns}, created_at, updated_at)
       VALUES (@person, @entityId, @time, @timeZone, @weekdays, @location, @latitude, @longitude, @calendars, @feeds, @now, @now)
       ON CONFLICT (person) DO UPDATE SET entity_id = excluded.entity_id, local_time = excluded.local_time,
         time_zone = excluded.time_zone, weekdays = excluded.weekdays, location = excluded.location,
         latitude = excluded.latitude, longitude = excluded.longitude, calendars = excluded.calendars,
         feeds = excluded.feeds, updated_at = excluded.updated_at`,
    );
    this.#remove = db.prepare('DELETE FROM briefing_subscriptions WHERE person = ?');
  }

  get(person: string): BriefingSubscription | undefined {
    const row = this.#get.get(person);
    return row && toSubscription(row);
  }

  all(): BriefingSubscription[] {
    return this.#all.all().map(toSubscription);
  }

  save(subscription: BriefingSubscription, now: number): void {
    this.#upsert.run({
      person: subscription.person,
      entityId: subscription.entityId,
      time: subscription.time,
      timeZone: subscription.timeZone,
      weekdays: subscription.weekdays,
      location: subscription.location?.name ?? null,
      latitude: subscription.location?.latitude ?? null,
      longitude: subscription.location?.longitude ?? null,
      calendars: JSON.stringify(subscription.calendars),
      feeds: JSON.stringify(subscription.feeds),
      now,
    });
  }

  /** Resolves true when there was a subscription to remove. */
  remove(person: string): boolean {
    return this.#remove.run(person).changes > 0;
  }
}
