// Config validation messages: one line per problem, each naming its JSON path, and never a secret.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  loadConfig,
  validateConfig,
  type Environment,
  type LoadedConfig,
} from '../../entities/config/index.js';

const dir = mkdtempSync(join(tmpdir(), 'chorus-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function writeConfig(text: string): string {
  const file = join(dir, `config-${++fileCount}.json`);
  writeFileSync(file, text);
  return file;
}

/** Runs `load`, expecting a ConfigError, and returns it. */
function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError, but the config loaded');
}

const problemsOf = (raw: unknown, env: Environment = {}) =>
  configError(() => validateConfig(raw, 'test.json', env)).problems;
const problemsOfText = (text: string, env: Environment = {}) =>
  configError(() => loadConfig(writeConfig(text), env)).problems;

const ent = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  username: id.toUpperCase(),
  ...extra,
});

describe('config errors: the file itself', () => {
  it('names a missing file', () => {
    const file = join(dir, 'missing.json');
    const error = configError(() => loadConfig(file, {}));
    expect(error.code).toBe('CHORUS_CONFIG_INVALID');
    expect(error.file).toBe(file);
    expect(error.problems).toEqual([`${file}: file not found`]);
    expect(error.message).toBe(`${file}: 1 problem\n${file}: file not found`);
  });

  it('names a directory given as the file', () => {
    expect(configError(() => loadConfig(dir, {})).problems).toEqual([`${dir}: is a directory`]);
  });

  it('gives the line and column of a trailing comma', () => {
    const file = writeConfig('{\n  "entities": [],\n  "botSettings": {},\n}\n');
    expect(configError(() => loadConfig(file, {})).problems).toEqual([
      `${file}: invalid JSON at line 3, column 20: trailing comma before '}'`,
    ]);
  });

  it('gives the line and column of a missing comma', () => {
    const file = writeConfig('{\n  "entities": []\n  "botSettings": {}\n}\n');
    expect(configError(() => loadConfig(file, {})).problems).toEqual([
      `${file}: invalid JSON at line 3, column 3: unexpected '"', expected ',' or '}'`,
    ]);
  });

  it('reports an empty file as invalid JSON', () => {
    const file = writeConfig('');
    expect(configError(() => loadConfig(file, {})).problems).toEqual([
      `${file}: invalid JSON at line 1, column 1: unexpected end of file, expected a value`,
    ]);
  });

  it('points at an unexpected token, e.g. a trailing comma in an array', () => {
    const text = '{\n  "entities": [1,],\n  "botSettings": {}\n}\n';
    // The trailing comma itself is what is wrong, so that is where the line points.
    const column = '  "entities": [1,],'.indexOf(',]') + 1;
    const [problem] = problemsOfText(text);
    expect(problem).toContain(`invalid JSON at line 2, column ${column}:`);
  });

  it('keeps a JSON error on one line without quoting the file', () => {
    const texts = [
      '{\n  "entities": [1,],\n  "botSettings": {}\n}\n',
      '{\n  "platforms": { "web": { "adminToken": sk-live-abcdefghijkl } }\n}\n',
    ];
    for (const text of texts) {
      const problems = problemsOfText(text);
      expect(problems).toHaveLength(1);
      expect(problems[0]).not.toContain('\n');
      expect(problems[0]).not.toContain('botSettings');
      expect(problems[0]).not.toContain('sk-live');
    }
  });

  it('requires an object at the root', () => {
    for (const text of ['[1, 2]', 'null', '"config"', '42']) {
      expect(problemsOfText(text)).toEqual(['(root): expected an object']);
    }
  });

  it('requires `entities`', () => {
    expect(problemsOfText('{ "botSettings": {} }')).toEqual(['entities: is required (expected an array)']);
    expect(problemsOf({ entities: {} })).toEqual(['entities: expected an array, got object']);
  });
});

describe('config errors: field values', () => {
  it('names the exact path of a bad rate limit', () => {
    const entities = [ent('a'), ent('b'), ent('c'), ent('d', { rateLimits: { maxPostsPerMinute: -1 } })];
    expect(problemsOf({ entities })).toEqual([
      'entities[3].rateLimits.maxPostsPerMinute: expected a positive integer, got -1',
    ]);
  });

  it('names a duplicate entity id and where it was first used', () => {
    expect(problemsOf({ entities: [ent('a'), ent('a'), ent('b')] })).toEqual([
      'entities[1].id: duplicate id "a" (also entities[0])',
    ]);
  });

  it('lists the allowed load balancing strategies', () => {
    expect(problemsOf({ clusterSettings: { loadBalancingStrategy: 'fastest' }, entities: [] })).toEqual([
      'clusterSettings.loadBalancingStrategy: expected one of model-affinity, least-loaded, round-robin, got "fastest"',
    ]);
  });

  it('refuses a responseChance outside 0..1', () => {
    expect(problemsOf({ entities: [ent('a', { responseChance: 1.5 })] })).toEqual([
      'entities[0].responseChance: expected a number from 0 to 1, got 1.5',
    ]);
    expect(problemsOf({ entities: [ent('a', { responseChance: -0.1 })] })).toEqual([
      'entities[0].responseChance: expected a number from 0 to 1, got -0.1',
    ]);
  });

  it('shows a string given where a number is expected', () => {
    expect(
      problemsOf({
        botSettings: { pollingInterval: 'fast' },
        entities: [ent('a', { temperature: 'hot', maxTokens: '200' })],
      }),
    ).toEqual([
      'botSettings.pollingInterval: expected a positive integer, got "fast"',
      'entities[0].temperature: expected a number from 0 to 2, got "hot"',
      'entities[0].maxTokens: expected a positive integer, got "200"',
    ]);
  });

  it('names a missing required field', () => {
    expect(problemsOf({ entities: [{ username: 'Nameless' }] })).toEqual([
      'entities[0].id: expected a non-empty string, got nothing (the key is missing)',
    ]);
  });

  it('reports several problems together, one line each', () => {
    const error = configError(() =>
      validateConfig(
        {
          lmStudioServers: [{ ip: '10.0.0.2', port: 70000 }],
          entities: [ent('a', { nom: 0 }), ent('b', { rateLimits: { maxPostsPerHour: 1.5 } })],
        },
        'test.json',
        {},
      ),
    );
    expect(error.problems).toEqual([
      'lmStudioServers[0].port: expected an integer from 1 to 65535, got 70000',
      'entities[0].nom: expected a positive integer, got 0',
      'entities[1].rateLimits.maxPostsPerHour: expected a positive integer, got 1.5',
    ]);
    expect(error.message).toBe(`test.json: 3 problems\n${error.problems.join('\n')}`);
  });

  it('checks web channels of entities against the playground channels', () => {
    expect(
      problemsOf({
        platforms: { web: { channels: ['general'] } },
        entities: [ent('a', { platforms: { web: { channels: ['general', 'random'] } } })],
      }),
    ).toEqual(['entities[0].platforms.web.channels[1]: channel "random" is not in platforms.web.channels']);
  });
});

describe('config errors: secrets', () => {
  const SECRET = 'sk-live-0123456789abcdef';
  const env = { CHORUS_A_TOKEN: SECRET, CHORUS_ADMIN: `${SECRET}-admin` };
  const discordOn = { discord: { enabled: true } };

  it('refuses an inline Discord token for an entity', () => {
    expect(problemsOf({ entities: [ent('a', { platforms: { discord: { token: SECRET } } })] })).toEqual([
      'entities[0].platforms.discord.token: secrets must not be written in the file; use { "env": "NAME" } and set NAME in the environment',
    ]);
  });

  it('refuses an inline web admin token', () => {
    expect(problemsOf({ platforms: { web: { adminToken: SECRET } }, entities: [] })).toEqual([
      'platforms.web.adminToken: secrets must not be written in the file; use { "env": "NAME" } and set NAME in the environment',
    ]);
  });

  it('refuses a malformed secret reference', () => {
    expect(
      problemsOf({
        entities: [ent('a', { platforms: { discord: { token: { env: 'A', value: SECRET } } } })],
      }),
    ).toEqual([
      'entities[0].platforms.discord.token: expected { "env": "NAME" } naming an environment variable, got an object',
    ]);
  });

  it('names the entity and the variable when a Discord token is not set', () => {
    const raw = {
      platforms: discordOn,
      entities: [
        ent('a', { platforms: { discord: { token: { env: 'CHORUS_A_TOKEN' } } } }),
        ent('b', { platforms: { discord: { token: { env: 'CHORUS_B_TOKEN' } } } }),
      ],
    };
    expect(problemsOf(raw, env)).toEqual([
      'entities[1].platforms.discord.token: environment variable CHORUS_B_TOKEN is not set (entity "b")',
    ]);
  });

  it('requires a token for an entity on Discord', () => {
    expect(
      problemsOf({ platforms: discordOn, entities: [ent('a', { platforms: { discord: {} } })] }),
    ).toEqual([
      'entities[0].platforms.discord.token: is required for entity "a" on Discord (or set platforms.discord.webhookHost to speak through webhooks)',
    ]);
  });

  it('needs no token for an entity that speaks through the webhook host', () => {
    const raw = {
      platforms: { discord: { enabled: true, webhookHost: 'a' } },
      entities: [
        ent('a', { platforms: { discord: { token: { env: 'CHORUS_A_TOKEN' } } } }),
        ent('b', { platforms: { discord: {} } }),
      ],
    };
    expect(validateConfig(raw, 't', env).secrets.size).toBe(1);
  });

  it('needs no token when Discord, the entity or its Discord presence is off', () => {
    const ref = { token: { env: 'CHORUS_UNSET' } };
    const quiet = (loaded: LoadedConfig) => loaded.secrets.size;
    expect(quiet(validateConfig({ entities: [ent('a', { platforms: { discord: ref } })] }, 't', {}))).toBe(0);
    expect(
      quiet(
        validateConfig(
          { platforms: discordOn, entities: [ent('a', { enabled: false, platforms: { discord: ref } })] },
          't',
          {},
        ),
      ),
    ).toBe(0);
    expect(
      quiet(
        validateConfig(
          {
            platforms: discordOn,
            entities: [ent('a', { platforms: { discord: { ...ref, enabled: false } } })],
          },
          't',
          {},
        ),
      ),
    ).toBe(0);
  });

  it('resolves a set token as a Secret that does not print its value', () => {
    const loaded = validateConfig(
      {
        platforms: { ...discordOn, web: { adminToken: { env: 'CHORUS_ADMIN' } } },
        entities: [ent('a', { platforms: { discord: { token: { env: 'CHORUS_A_TOKEN' } } } })],
      },
      't',
      env,
    );
    const token = loaded.secrets.get('entities[0].platforms.discord.token');
    expect(token?.reveal()).toBe(SECRET);
    expect(loaded.secrets.get('platforms.web.adminToken')?.reveal()).toBe(env.CHORUS_ADMIN);
    for (const shown of [
      String(token),
      JSON.stringify([...loaded.secrets]),
      inspect(loaded, { depth: 10 }),
    ]) {
      expect(shown).not.toContain(SECRET);
    }
  });

  it('never puts a secret value in an error or a warning', () => {
    const leaks = (text: string) => text.includes(SECRET);
    const ref = { token: { env: 'CHORUS_A_TOKEN' } };
    const failing: unknown[] = [
      { entities: [ent('a', { platforms: { discord: { token: SECRET } } })] },
      { platforms: { web: { adminToken: SECRET } }, entities: [] },
      { platforms: discordOn, entities: [ent('a', { responseChance: 2, platforms: { discord: ref } })] },
      { platforms: discordOn, entities: [ent('a', { platforms: { discord: ref } }), ent('a')] },
      {
        platforms: discordOn,
        entities: [ent('a', { platforms: { discord: { token: { env: 'X', v: SECRET } } } })],
      },
    ];
    for (const raw of failing) {
      const error = configError(() => validateConfig(raw, 'test.json', env));
      expect(leaks(error.message)).toBe(false);
    }
    const loaded = validateConfig(
      {
        platforms: { discord: { enabled: true, token: SECRET } },
        entities: [ent('a', { platforms: { discord: { ...ref, apiKey: SECRET } } })],
        secretStuff: { value: SECRET },
      },
      'test.json',
      env,
    );
    expect(loaded.warnings.some(leaks)).toBe(false);
    expect(loaded.warnings).toEqual([
      'platforms.discord.token: unknown key, ignored',
      'entities[0].platforms.discord.apiKey: unknown key, ignored',
      'secretStuff: unknown key, ignored',
    ]);
  });

  it('does not echo the value of a referenced secret pasted into another field', () => {
    const raw = {
      platforms: discordOn,
      entities: [
        ent('a', { platforms: { discord: { token: { env: 'CHORUS_A_TOKEN' }, channels: SECRET } } }),
      ],
    };
    const error = configError(() => validateConfig(raw, 'test.json', env));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(
      /^entities\[0\]\.platforms\.discord\.channels: expected an array of strings/,
    );
    expect(error.message).not.toContain(SECRET);
  });
});

describe('config warnings and transforms', () => {
  it('warns once per unknown key, at any depth, without failing', () => {
    const { warnings, config } = validateConfig(
      {
        websocketPort: 4002,
        botSettings: { legacyMode: true, pollingInterval: 500 },
        lmStudioServers: [{ ip: '10.0.0.2', port: 1234, region: 'eu' }],
        entities: [
          ent('a', {
            mood: 'happy',
            rateLimits: { burst: 3 },
            quantizations: { q4: { modelPath: 'm', bits: 4 } },
          }),
          ent('b', { mood: 'sad' }),
        ],
      },
      'test.json',
      {},
    );
    expect(config.botSettings.pollingInterval).toBe(500);
    expect(warnings).toEqual([
      'websocketPort: unknown key, ignored',
      'botSettings.legacyMode: unknown key, ignored',
      'lmStudioServers[0].region: unknown key, ignored',
      'entities[0].mood: unknown key, ignored',
      'entities[0].rateLimits.burst: unknown key, ignored',
      'entities[0].quantizations.q4.bits: unknown key, ignored',
      'entities[1].mood: unknown key, ignored',
    ]);
  });

  it('has no warnings for a config that uses only known keys', () => {
    expect(validateConfig({ entities: [ent('a')] }, 'test.json', {}).warnings).toEqual([]);
  });

  it('turns the two characters \\n into newlines in prompts and markers', () => {
    const file = writeConfig(
      JSON.stringify({
        entities: [
          ent('a', {
            systemPrompt: 'You are A.\\nBe brief.\\tAlways.',
            userPrompt: 'Reply to:\\n',
            trimAfter: ['\\nUser:', '###'],
            filterOut: ['\\n\\n'],
          }),
        ],
      }),
    );
    const entity = loadConfig(file, {}).config.entities[0];
    expect(entity?.systemPrompt).toBe('You are A.\nBe brief.\tAlways.');
    expect(entity?.userPrompt).toBe('Reply to:\n');
    expect(entity?.trimAfter).toEqual(['\nUser:', '###']);
    expect(entity?.filterOut).toEqual(['\n\n']);
  });
});
