// Gathers a briefing's facts for one subscriber: weather, each calendar, each feed (all in parallel, each
// with its own timeout) and their reminders and habits from SQLite. A failed source is a section that says
// why; gathering itself never fails.
import type { BriefingsConfig } from '../../entities/config/briefings-schema.js';
import type { Db } from '../../store/index.js';
import { dayBounds } from '../../core/local-time.js';
import type { BriefingLocation, BriefingSubscription } from './subscription-repository.js';
import { parseFeed } from './sources/feed-parser.js';
import { eventsOn, formatEvent, parseIcs } from './sources/ics.js';
import { PersonalSource } from './sources/personal.js';
import { readText, runSource, shortName, type FactSection } from './sources/source-run.js';
import { WeatherSource } from './sources/weather.js';

export type { FactSection };

export interface BriefingFacts {
  person: string;
  entityId: string;
  timeZone: string;
  /** The subscriber's local date the briefing is for. */
  localDate: string;
  sections: FactSection[];
}

/** What gathering needs to know about one briefing. */
export type FactRequest = Pick<
  BriefingSubscription,
  'person' | 'entityId' | 'timeZone' | 'location' | 'calendars' | 'feeds'
>;

export interface FactGatherer {
  gather(request: FactRequest, localDate: string, signal?: AbortSignal): Promise<BriefingFacts>;
}

/** The location a subscription's weather is for: its own, else the city of its time zone. */
export function effectiveLocation(
  request: Pick<FactRequest, 'location' | 'timeZone'>,
): BriefingLocation | undefined {
  if (request.location && (request.location.name || request.location.latitude !== undefined))
    return request.location;
  const city = request.timeZone.split('/').pop();
  return city && request.timeZone.includes('/') ? { name: city.replace(/_/g, ' ') } : undefined;
}

const unique = (lists: readonly string[][]): string[] => [...new Set(lists.flat())];

export class SourceFactGatherer implements FactGatherer {
  readonly #weather: WeatherSource;
  readonly #personal: PersonalSource;

  constructor(
    private readonly settings: Pick<
      BriefingsConfig,
      'weather' | 'calendars' | 'feeds' | 'sourceTimeoutMs' | 'feedItems'
    >,
    db: Db,
  ) {
    this.#weather = new WeatherSource(settings.weather);
    this.#personal = new PersonalSource(db);
  }

  async gather(request: FactRequest, localDate: string, signal?: AbortSignal): Promise<BriefingFacts> {
    const { sourceTimeoutMs: timeout, feedItems } = this.settings;
    const zone = request.timeZone;
    const location = effectiveLocation(request);
    const remote: Promise<FactSection>[] = [];
    remote.push(
      runSource(
        'Weather',
        timeout,
        async (s) => [await this.#weather.line(location ?? {}, zone, localDate, s)],
        signal,
      ),
    );
    for (const calendar of unique([this.settings.calendars, request.calendars])) {
      remote.push(
        runSource(
          'Calendar',
          timeout,
          async (s) => {
            const events = eventsOn(parseIcs(await readText(calendar, s)), localDate, zone);
            return events.length > 0 ? events.map((e) => formatEvent(e, zone)) : ['nothing today'];
          },
          signal,
        ),
      );
    }
    for (const feedUrl of unique([this.settings.feeds, request.feeds])) {
      remote.push(
        runSource(
          `News (${shortName(feedUrl)})`,
          timeout,
          async (s) => {
            const feed = parseFeed(await readText(feedUrl, s));
            return {
              title: `News${feed.title ? ` (${feed.title})` : ` (${shortName(feedUrl)})`}`,
              lines: feed.items.slice(0, feedItems).map((i) => i.title),
            };
          },
          signal,
        ),
      );
    }
    const { start, end } = dayBounds(localDate, zone);
    let personal: FactSection[];
    try {
      const facts = this.#personal.facts(request.person, localDate, zone, start, end);
      personal = [
        ...(facts.reminders.length > 0 ? [{ title: 'Reminders', lines: facts.reminders }] : []),
        ...(facts.habits.length > 0 ? [{ title: 'Habits', lines: facts.habits }] : []),
      ];
    } catch (error) {
      personal = [{ title: 'Reminders', lines: [], unavailable: (error as Error).message }];
    }
    const sections = [...(await Promise.all(remote)), ...personal];
    return { person: request.person, entityId: request.entityId, timeZone: zone, localDate, sections };
  }
}

/** A section as one line: "Weather: …", "Calendar: a; b", "Weather: unavailable (timeout after 5 s)". */
export function sectionLine(section: FactSection): string {
  if (section.unavailable !== undefined) return `${section.title}: unavailable (${section.unavailable})`;
  if (section.lines.length === 0) return `${section.title}: nothing`;
  return `${section.title}: ${section.lines.join('; ')}`;
}
