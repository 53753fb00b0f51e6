// A person's time zone: the one of their briefing subscription (briefing_subscriptions.time_zone), else UTC.
// Reminders and habit days are counted in it.
import type { Db } from '../../store/index.js';
import { isValidTimeZone } from '../../core/local-time.js';

export type ZoneOf = (person: string) => string;

export function personZones(db: Db): ZoneOf {
  const query = db.prepare('SELECT time_zone FROM briefing_subscriptions WHERE person = ?').pluck();
  return (person) => {
    const zone = query.get(person) as string | undefined;
    return zone !== undefined && isValidTimeZone(zone) ? zone : 'UTC';
  };
}
