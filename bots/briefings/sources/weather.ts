// Weather from Open-Meteo (no key): the place is geocoded by name when it has no coordinates, then today's
// forecast (high, low, rain chance, conditions) and the current temperature become one line.
// Response shapes: /v1/search → { results?: [{ name, latitude, longitude, country? }] };
// /v1/forecast → { current: { temperature_2m, weather_code }, current_units: { temperature_2m: "°C" },
//   daily: { time: ["YYYY-MM-DD"], temperature_2m_max: [..], temperature_2m_min: [..],
//   precipitation_probability_max: [..], weather_code: [..] } }.
import type { BriefingLocation } from '../subscription-repository.js';
import { readJson, SourceError } from './source-run.js';

/** WMO weather interpretation codes (Open-Meteo's weather_code) in words. */
const WEATHER_CODES: Record<number, string> = {
  0: 'clear sky',
  1: 'mainly clear',
  2: 'partly cloudy',
  3: 'overcast',
  45: 'fog',
  48: 'freezing fog',
  51: 'light drizzle',
  53: 'drizzle',
  55: 'heavy drizzle',
  56: 'freezing drizzle',
  57: 'heavy freezing drizzle',
  61: 'light rain',
  63: 'rain',
  65: 'heavy rain',
  66: 'freezing rain',
  67: 'heavy freezing rain',
  71: 'light snow',
  73: 'snow',
  75: 'heavy snow',
  77: 'snow grains',
  80: 'light showers',
  81: 'showers',
  82: 'violent showers',
  85: 'snow showers',
  86: 'heavy snow showers',
  95: 'thunderstorms',
  96: 'thunderstorms with hail',
  99: 'thunderstorms with heavy hail',
};

export const weatherWords = (code: number): string => WEATHER_CODES[code] ?? `weather code ${code}`;

export interface WeatherEndpoints {
  url: string;
  geocodingUrl: string;
}

interface Place {
  name: string;
  latitude: number;
  longitude: number;
}

const GEOCODE_CACHE_LIMIT = 200;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const round = (v: number) => Math.round(v);

/** The forecast response as one line (pure, for tests). Throws SourceError when today is missing. */
export function describeForecast(body: unknown, localDate: string): string {
  const data = body as {
    current?: Record<string, unknown>;
    current_units?: Record<string, unknown>;
    daily?: Record<string, unknown[] | undefined>;
    daily_units?: Record<string, unknown>;
  };
  const daily = data?.daily;
  const times = Array.isArray(daily?.time) ? daily.time : [];
  let index = times.indexOf(localDate);
  if (index < 0 && times.length > 0) index = 0;
  const at = (key: string) => (index >= 0 ? num(daily?.[key]?.[index]) : undefined);
  const unit = String(data?.daily_units?.temperature_2m_max ?? data?.current_units?.temperature_2m ?? '°C');
  const code = at('weather_code');
  const high = at('temperature_2m_max');
  const low = at('temperature_2m_min');
  const rain = at('precipitation_probability_max');
  const nowTemp = num(data?.current?.temperature_2m);
  const nowCode = num(data?.current?.weather_code);
  const parts: string[] = [];
  if (code !== undefined) parts.push(weatherWords(code));
  if (high !== undefined && low !== undefined) parts.push(`${round(low)} to ${round(high)} ${unit}`);
  if (rain !== undefined) parts.push(`${round(rain)}% chance of rain`);
  const now =
    nowTemp !== undefined
      ? `now ${round(nowTemp)} ${unit}${nowCode !== undefined && nowCode !== code ? `, ${weatherWords(nowCode)}` : ''}`
      : undefined;
  if (parts.length === 0 && !now) throw new SourceError('no forecast in the answer');
  return [parts.join(', '), now].filter(Boolean).join('; ');
}

/** Open-Meteo weather with a small cache of geocoded place names. */
export class WeatherSource {
  readonly #places = new Map<string, Place>();

  constructor(private readonly endpoints: WeatherEndpoints) {}

  async place(location: BriefingLocation, signal: AbortSignal): Promise<Place> {
    if (location.latitude !== undefined && location.longitude !== undefined) {
      return {
        name: location.name ?? `${location.latitude}, ${location.longitude}`,
        latitude: location.latitude,
        longitude: location.longitude,
      };
    }
    const name = location.name?.trim();
    if (!name) throw new SourceError('no location set (/brief location <place>)');
    const cached = this.#places.get(name.toLowerCase());
    if (cached) return cached;
    const url = new URL(this.endpoints.geocodingUrl);
    url.searchParams.set('name', name);
    url.searchParams.set('count', '1');
    url.searchParams.set('format', 'json');
    const body = (await readJson(url.toString(), signal)) as { results?: Record<string, unknown>[] };
    const first = Array.isArray(body?.results) ? body.results[0] : undefined;
    const latitude = num(first?.latitude);
    const longitude = num(first?.longitude);
    if (!first || latitude === undefined || longitude === undefined)
      throw new SourceError(`place "${name}" not found`);
    const place = { name: typeof first.name === 'string' ? first.name : name, latitude, longitude };
    if (this.#places.size >= GEOCODE_CACHE_LIMIT) this.#places.clear();
    this.#places.set(name.toLowerCase(), place);
    return place;
  }

  /** "Berlin: light rain, 4 to 9 °C, 80% chance of rain; now 5 °C". */
  async line(
    location: BriefingLocation,
    timeZone: string,
    localDate: string,
    signal: AbortSignal,
  ): Promise<string> {
    const place = await this.place(location, signal);
    const url = new URL(this.endpoints.url);
    url.searchParams.set('latitude', String(place.latitude));
    url.searchParams.set('longitude', String(place.longitude));
    url.searchParams.set(
      'daily',
      'temperature_2m_max,temperature_2m_min,precipitation_probability_max,weather_code',
    );
    url.searchParams.set('current', 'temperature_2m,weather_code');
    url.searchParams.set('timezone', timeZone);
    url.searchParams.set('forecast_days', '1');
    return `${place.name}: ${describeForecast(await readJson(url.toString(), signal), localDate)}`;
  }
}
