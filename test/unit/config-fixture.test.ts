import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../entities/config/index.js';

const FIXTURE = new URL('../../../shared/fixtures/saywhatwant-config-aientities.json', import.meta.url)
  .pathname;

describe('the seed system config fixture', () => {
  it('loads its 32 entities and warns once per unused key', () => {
    const { config, warnings } = loadConfig(FIXTURE, {});
    expect(config.entities).toHaveLength(32);
    expect(warnings).toMatchInlineSnapshot(`
      [
        "botSettings.websocketPort: unknown key, ignored",
        "queueSettings: unknown key, ignored",
        "routerSettings: unknown key, ignored",
        "globalSettings.requireHumanActivity: unknown key, ignored",
        "globalSettings.cloudflareWorkerRateLimits: unknown key, ignored",
        "_configNotes: unknown key, ignored",
      ]
    `);
  });
});
