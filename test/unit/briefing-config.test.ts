// The `briefings` config section: defaults, and one exact message per kind of mistake, each naming its path.
import { describe, expect, it } from 'vitest';
import { ConfigError, validateConfig } from '../../entities/config/index.js';

const base = { entities: [{ id: 'sage', username: 'Sage' }] };
const subscriber = { person: '+4915112345678', time: '07:00', timeZone: 'Europe/Berlin' };

function problems(briefings: unknown): readonly string[] {
  try {
    validateConfig({ ...base, briefings }, 'test.json', {});
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('briefings config', () => {
  it('GIVEN no briefings section THEN the documented defaults', () => {
    const { config } = validateConfig(base, 'test.json', {});
    expect(config.briefings).toEqual({
      enabled: true,
      graceMinutes: 120,
      staggerSeconds: 2,
      sourceTimeoutMs: 5000,
      claimTimeoutMinutes: 10,
      feedItems: 3,
      defaultTimeZone: 'UTC',
      weather: {
        url: 'https://api.open-meteo.com/v1/forecast',
        geocodingUrl: 'https://geocoding-api.open-meteo.com/v1/search',
      },
      calendars: [],
      feeds: [],
      subscribers: [],
    });
  });

  it('GIVEN a full subscriber THEN it is kept with weekdays defaulting to daily', () => {
    const { config } = validateConfig(
      {
        ...base,
        briefings: {
          subscribers: [
            {
              ...subscriber,
              location: { name: 'Berlin' },
              calendars: ['/tmp/a.ics'],
              feeds: ['http://127.0.0.1:1/rss'],
            },
          ],
        },
      },
      'test.json',
      {},
    );
    expect(config.briefings.subscribers[0]).toMatchObject({ ...subscriber, weekdays: 'daily' });
  });

  it('GIVEN an unknown time zone THEN the message names the path and the value', () => {
    expect(problems({ subscribers: [{ ...subscriber, timeZone: 'Mars/Olympus' }] })).toEqual([
      'briefings.subscribers[0].timeZone: expected an IANA time zone like "Europe/Berlin", got "Mars/Olympus"',
    ]);
    expect(problems({ defaultTimeZone: 'CEST+2' })).toEqual([
      'briefings.defaultTimeZone: expected an IANA time zone like "Europe/Berlin", got "CEST+2"',
    ]);
  });

  it('GIVEN a time that is not HH:MM THEN the message says so', () => {
    expect(problems({ subscribers: [{ ...subscriber, time: '7am' }] })).toEqual([
      'briefings.subscribers[0].time: expected a time as HH:MM (24-hour), e.g. "07:00", got "7am"',
    ]);
    expect(problems({ subscribers: [{ ...subscriber, time: '24:00' }] })).toHaveLength(1);
  });

  it('GIVEN weekdays that do not parse THEN the message shows the accepted forms', () => {
    expect(problems({ subscribers: [{ ...subscriber, weekdays: 'someday' }] })).toEqual([
      'briefings.subscribers[0].weekdays: expected weekdays like "daily", "mon-fri" or "sat,sun", got "someday"',
    ]);
  });

  it('GIVEN a person that is neither a number nor a UUID THEN the message says what a person is', () => {
    expect(problems({ subscribers: [{ ...subscriber, person: 'alice' }] })).toEqual([
      'briefings.subscribers[0].person: expected a Signal number like "+4915112345678" or an account UUID, got "alice"',
    ]);
  });

  it('GIVEN only a latitude THEN both coordinates are asked for', () => {
    expect(problems({ subscribers: [{ ...subscriber, location: { latitude: 52.5 } }] })).toEqual([
      'briefings.subscribers[0].location: give both latitude and longitude, or neither',
    ]);
    expect(problems({ subscribers: [{ ...subscriber, location: { latitude: 99, longitude: 1 } }] })).toEqual([
      'briefings.subscribers[0].location.latitude: expected a latitude from -90 to 90, got 99',
    ]);
  });

  it('GIVEN a feed that is not http(s) or a calendar with another scheme THEN each is named', () => {
    expect(problems({ feeds: ['ftp://127.0.0.1/feed'] })).toEqual([
      'briefings.feeds[0]: expected an http(s) URL, got "ftp://127.0.0.1/feed"',
    ]);
    expect(problems({ calendars: ['webcal://127.0.0.1/cal.ics'] })).toEqual([
      'briefings.calendars[0]: expected an http(s) URL or a file path, got "webcal://127.0.0.1/cal.ics"',
    ]);
  });

  it('GIVEN bad numbers THEN the ranges are named', () => {
    expect(problems({ graceMinutes: -5 })).toEqual([
      'briefings.graceMinutes: expected an integer from 0 to 1440, got -5',
    ]);
    expect(problems({ staggerSeconds: 1.5 })).toEqual([
      'briefings.staggerSeconds: expected an integer ≥ 0, got 1.5',
    ]);
    expect(problems({ sourceTimeoutMs: 0 })).toEqual([
      'briefings.sourceTimeoutMs: expected a positive integer, got 0',
    ]);
    expect(problems({ weather: { url: 'not a url' } })).toEqual([
      'briefings.weather.url: expected an http(s) URL, got "not a url"',
    ]);
  });
});
