// Loads config-aientities.json: parse, validate against the schema, cross-check, warn about unknown keys
// and resolve secrets from the environment. Validation happens here, once; the rest of Chorus trusts the result.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { Secret, SecretRedactor } from '../../core/secret.js';
import { ConfigError } from './config-error.js';
import { parseJson } from '../../core/json-source.js';
import { configSchema, type ChorusConfig } from './schema.js';
import { findUnknownKeys, formatPath } from './unknown-keys.js';

export interface LoadedConfig {
  config: ChorusConfig;
  /** One line per key Chorus does not use. */
  warnings: string[];
  /** Resolved secrets, by their JSON path (e.g. `entities[2].platforms.discord.token`). */
  secrets: Map<string, Secret>;
}

export type Environment = Readonly<Record<string, string | undefined>>;

function schemaProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    if (issue.code === 'invalid_type') {
      const expected =
        issue.expected === 'array' ? 'an array' : issue.expected === 'object' ? 'an object' : issue.expected;
      return issue.received === 'undefined'
        ? `${path}: is required (expected ${expected})`
        : `${path}: expected ${expected}, got ${issue.received}`;
    }
    return `${path}: ${issue.message}`;
  });
}

function crossChecks(config: ChorusConfig): string[] {
  const problems: string[] = [];
  const firstIndex = new Map<string, number>();
  config.entities.forEach((entity, i) => {
    const previous = firstIndex.get(entity.id);
    if (previous === undefined) firstIndex.set(entity.id, i);
    else problems.push(`entities[${i}].id: duplicate id "${entity.id}" (also entities[${previous}])`);
  });
  const webChannels = new Set(config.platforms.web.channels);
  config.entities.forEach((entity, i) => {
    entity.platforms.web.channels.forEach((channel, j) => {
      if (channel !== '*' && !webChannels.has(channel) && !webChannels.has('*')) {
        problems.push(
          `entities[${i}].platforms.web.channels[${j}]: channel "${channel}" is not in platforms.web.channels`,
        );
      }
    });
  });
  return problems;
}

function resolveSecrets(
  config: ChorusConfig,
  env: Environment,
): { secrets: Map<string, Secret>; problems: string[] } {
  const secrets = new Map<string, Secret>();
  const problems: string[] = [];
  const resolve = (path: string, ref: { env: string } | undefined, needed: boolean, owner: string) => {
    if (!ref) return;
    const value = env[ref.env];
    if (value) secrets.set(path, new Secret(value, ref.env));
    else if (needed) problems.push(`${path}: environment variable ${ref.env} is not set (${owner})`);
  };
  resolve('platforms.web.adminToken', config.platforms.web.adminToken, true, 'the web admin token');
  config.entities.forEach((entity, i) => {
    const discord = entity.platforms.discord;
    const path = `entities[${i}].platforms.discord.token`;
    const needed = config.platforms.discord.enabled && entity.enabled && (discord?.enabled ?? false);
    // Without a token an entity speaks through the webhook host's channel webhooks, when there is one.
    if (needed && !discord?.token && !config.platforms.discord.webhookHost) {
      problems.push(
        `${path}: is required for entity "${entity.id}" on Discord (or set platforms.discord.webhookHost to speak through webhooks)`,
      );
    }
    resolve(path, discord?.token, needed, `entity "${entity.id}"`);
  });
  return { secrets, problems };
}

/** A redactor for the values of every `{ "env": NAME }` the raw config refers to, wherever it stands. */
function referencedSecrets(raw: unknown, env: Environment, redactor = new SecretRedactor()): SecretRedactor {
  if (Array.isArray(raw)) for (const item of raw) referencedSecrets(item, env, redactor);
  else if (raw && typeof raw === 'object') {
    const ref = (raw as { env?: unknown }).env;
    const value = typeof ref === 'string' ? env[ref] : undefined;
    if (value) redactor.add(new Secret(value, ref as string));
    for (const child of Object.values(raw)) referencedSecrets(child, env, redactor);
  }
  return redactor;
}

/** Validates an already-parsed config object. Throws ConfigError listing every problem. */
export function validateConfig(raw: unknown, file: string, env: Environment = process.env): LoadedConfig {
  // A token pasted into the wrong field would otherwise be echoed in the problem line.
  const redactor = referencedSecrets(raw, env);
  const fail = (problems: string[]) =>
    new ConfigError(
      file,
      problems.map((p) => redactor.redact(p)),
    );
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw fail(schemaProblems(parsed.error));
  const config = parsed.data;
  const { secrets, problems } = resolveSecrets(config, env);
  const all = [...crossChecks(config), ...problems];
  if (all.length > 0) throw fail(all);
  const warnings = findUnknownKeys(configSchema, raw).map((path) => `${path}: unknown key, ignored`);
  return { config, warnings, secrets };
}

/** Reads and validates a config file. Throws ConfigError for a missing file, invalid JSON or invalid content. */
export function loadConfig(file: string, env: Environment = process.env): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : `cannot read (${code})`;
    throw new ConfigError(file, [`${file}: ${why}`]);
  }
  let raw: unknown;
  try {
    raw = parseJson(text);
  } catch (error) {
    throw new ConfigError(file, [`${file}: ${(error as Error).message}`]);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, ['(root): expected an object']);
  }
  return validateConfig(raw, file, env);
}
