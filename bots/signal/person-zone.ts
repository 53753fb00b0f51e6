// A person's time zone: the one of their briefing subscription (briefing_subscriptions.time_zone), else UTC.
// Reminders and habit days are counted in it.
import type { Db } from '../../store/index.js';
import { isTimeZone } from './local-time.js';

export type ZoneOf = (person: string) => string;

export function personZones(db: Db): ZoneOf {
  const query = db.prepare('SELECT time_zone FROM briefing_subscriptions WHERE person = ?').pluck();
  return (person) => {
    const zone = query.get(person) as string | undefined;
    return zone !== undefined && isTimeZone(zone) ? zone : 'UTC';
  };
}
