// The `briefings` section of config-aientities.json: morning briefings sent over Signal (bots/briefings/).
// Subscribers listed here are merged with those who subscribed by `/brief subscribe`; for a person in both,
// this file wins (the command answers that their briefing is set in the config).
import { z } from 'zod';
import { isValidTimeZone } from '../../core/local-time.js';
import { parseTime, parseWeekdays } from '../../core/time-of-day.js';
import {
  boolean,
  check,
  httpUrl,
  integerBetween,
  nonNegativeInteger,
  positiveInteger,
  text,
} from './checks.js';

/** An IANA time zone Intl knows, e.g. "Europe/Berlin". */
export const timeZone = () =>
  check<string>('an IANA time zone like "Europe/Berlin"', (v) => typeof v === 'string' && isValidTimeZone(v));
/** A 24-hour local time, e.g. "07:00". */
export const localTime = () =>
  check<string>('a time as HH:MM (24-hour), e.g. "07:00"', (v) => typeof v === 'string' && !!parseTime(v));
/** Weekdays like "daily", "weekdays", "mon-fri", "sat,sun". */
export const weekdays = () =>
  check<string>(
    'weekdays like "daily", "mon-fri" or "sat,sun"',
    (v) => typeof v === 'string' && !!parseWeekdays(v),
  );
/** A Signal recipient: an E.164 number or an account UUID. */
export const signalPerson = () =>
  check<string>(
    'a Signal number like "+4915112345678" or an account UUID',
    (v) =>
      typeof v === 'string' &&
      (/^\+[1-9]\d{6,14}$/.test(v) ||
        /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v)),
  );
/** An http(s) URL, or a path to a local file (calendars). */
export const urlOrPath = () =>
  check<string>('an http(s) URL or a file path', (v) => {
    if (typeof v !== 'string' || !v.trim()) return false;
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) return true;
    return /^(https?|file):\/\//i.test(v);
  });
const httpUrlList = () => z.array(httpUrl()).default([]);
const urlOrPathList = () => z.array(urlOrPath()).default([]);

export const briefingLocationSchema = z
  .object({
    /** A place name, geocoded with Open-Meteo when no coordinates are given. */
    name: text().optional(),
    latitude: check<number>(
      'a latitude from -90 to 90',
      (v) => typeof v === 'number' && v >= -90 && v <= 90,
    ).optional(),
    longitude: check<number>(
      'a longitude from -180 to 180',
      (v) => typeof v === 'number' && v >= -180 && v <= 180,
    ).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.latitude === undefined) !== (value.longitude === undefined))
      ctx.addIssue({ code: 'custom', message: 'give both latitude and longitude, or neither' });
  });

export const briefingSubscriberSchema = z.object({
  /** The person's Signal number (E.164) or account UUID. */
  person: signalPerson(),
  /** The entity (persona) that writes the briefing (default: platforms.signal.defaultEntity, else the first). */
  entity: text().optional(),
  time: localTime(),
  /** Default: briefings.defaultTimeZone. */
  timeZone: timeZone().optional(),
  weekdays: weekdays().default('daily'),
  /** Default: the city of the time zone ("Europe/Berlin" → "Berlin"). */
  location: briefingLocationSchema.optional(),
  calendars: urlOrPathList(),
  feeds: httpUrlList(),
});

export const briefingsSchema = z
  .object({
    /** Send briefings at all (only when platforms.signal is enabled too). */
    enabled: boolean().default(true),
    /** A briefing missed while the fleet was down is sent at start when at most this many minutes late. */
    graceMinutes: integerBetween(0, 1440).default(120),
    /** Seconds between two briefings sent by this process when several are due at once. */
    staggerSeconds: nonNegativeInteger().default(2),
    /** How long one source (weather, a calendar, a feed) may take, in ms, before its line says so. */
    sourceTimeoutMs: positiveInteger().default(5000),
    /** A claim left unsent this many minutes (a crashed process) may be taken over by another process. */
    claimTimeoutMinutes: positiveInteger().default(10),
    /** Headlines per feed. */
    feedItems: integerBetween(1, 20).default(3),
    /** The time zone of `/brief now` for people without a subscription, and of file subscribers without one. */
    defaultTimeZone: timeZone().default('UTC'),
    weather: z
      .object({
        /** Open-Meteo's forecast endpoint. */
        url: httpUrl().default('https://api.open-meteo.com/v1/forecast'),
        /** Open-Meteo's geocoding endpoint (place name → coordinates). */
        geocodingUrl: httpUrl().default('https://geocoding-api.open-meteo.com/v1/search'),
      })
      .default({}),
    /** Calendars (ICS URLs or files) in every subscriber's briefing. */
    calendars: urlOrPathList(),
    /** RSS/Atom feeds in every subscriber's briefing. */
    feeds: httpUrlList(),
    subscribers: z.array(briefingSubscriberSchema).default([]),
  })
  .default({});

export type BriefingsConfig = z.output<typeof briefingsSchema>;
export type BriefingSubscriberConfig = BriefingsConfig['subscribers'][number];
