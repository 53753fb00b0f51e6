// Field checks for the config schema. Each check names what it expected and shows what it got,
// so `chorus check-config` can print lines like
// `entities[3].rateLimits.maxPostsPerMinute: expected a positive integer, got -1`.
import { z } from 'zod';

/** A short, safe rendering of an offending value (strings are cut, never secrets: those are refs). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing (the key is missing)';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** A value that passes `test`, or the message `expected …, got …`. */
export function check<T>(expected: string, test: (value: unknown) => boolean) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      if (!test(value))
        ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${describeValue(value)}` });
    })
    .transform((value) => value as T);
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export const positiveInteger = () =>
  check<number>('a positive integer', (v) => Number.isInteger(v) && (v as number) > 0);
export const nonNegativeInteger = () =>
  check<number>('an integer ≥ 0', (v) => Number.isInteger(v) && (v as number) >= 0);
export const nonNegativeNumber = () => check<number>('a number ≥ 0', (v) => isNumber(v) && v >= 0);
export const positiveNumber = () => check<number>('a number > 0', (v) => isNumber(v) && v > 0);
export const numberBetween = (min: number, max: number) =>
  check<number>(`a number from ${min} to ${max}`, (v) => isNumber(v) && v >= min && v <= max);
export const integerBetween = (min: number, max: number) =>
  check<number>(
    `an integer from ${min} to ${max}`,
    (v) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max,
  );
export const boolean = () => check<boolean>('true or false', (v) => typeof v === 'boolean');
export const text = () => check<string>('a string', (v) => typeof v === 'string');
export const nonEmptyText = () =>
  check<string>('a non-empty string', (v) => typeof v === 'string' && v.trim().length > 0);
export const textList = () =>
  check<string[]>('an array of strings', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'));
export const oneOf = <T extends string>(values: readonly T[]) =>
  check<T>(
    `one of ${values.join(', ')}`,
    (v) => typeof v === 'string' && (values as readonly string[]).includes(v),
  );
export const httpUrl = () =>
  check<string>('an http(s) URL', (v) => {
    if (typeof v !== 'string') return false;
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  });

/** A channel name as used by the web playground and in config lists. */
export const CHANNEL_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;
export const channelList = () =>
  check<string[]>(
    'an array of channel names (lowercase letters, digits, - and _) or "*"',
    (v) => Array.isArray(v) && v.every((s) => typeof s === 'string' && (s === '*' || CHANNEL_NAME.test(s))),
  );

/** A reference to a secret: `{ "env": "NAME" }`. Inline secrets are refused so they never sit in the file. */
export interface SecretRef {
  env: string;
}
export const secretRef = () =>
  z
    .unknown()
    .superRefine((value, ctx) => {
      if (typeof value === 'string') {
        ctx.addIssue({
          code: 'custom',
          message:
            'secrets must not be written in the file; use { "env": "NAME" } and set NAME in the environment',
        });
        return;
      }
      const env = (value as { env?: unknown } | null)?.env;
      const keys = value && typeof value === 'object' ? Object.keys(value) : [];
      if (typeof env !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(env) || keys.length !== 1) {
        ctx.addIssue({
          code: 'custom',
          message: `expected { "env": "NAME" } naming an environment variable, got ${describeValue(value)}`,
        });
      }
    })
    .transform((value) => value as SecretRef);

/** The seed system wrote newlines in prompts and trim markers as the two characters `\n`. */
export const unescapeNewlines = (s: string): string => s.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
