// Builds BriefingService instances for tests: a real SQLite file in a temp dir (several services may share it,
// like processes), the engine's Responder over a chosen generator, and a recording `send`.
import { join } from 'node:path';
import {
  BriefingService,
  type BriefingServiceOptions,
  type FactGatherer,
} from '../../bots/briefings/index.js';
import { Responder } from '../../bots/engine/responder.js';
import type { Generator } from '../../bots/generation/index.js';
import { systemClock, type Clock } from '../../core/clock.js';
import { memoryLogger } from '../../core/logger.js';
import { validateConfig, type ChorusConfig } from '../../entities/config/index.js';
import { EntityRoster } from '../../entities/entity-roster.js';
import { ChorusStore, openDatabase } from '../../store/index.js';

export interface SentBriefing {
  person: string;
  entityId: string;
  text: string;
  at: number;
  by: string;
}

export const templateOnly: Generator = {
  name: 'none',
  generate: async (req) => ({
    text: `(${req.entity.username} has nothing)`,
    source: 'none',
    generator: 'none',
  }),
};

/** Facts without any I/O: one line naming the date, so tests see which day a briefing was for. */
export const staticGatherer: FactGatherer = {
  gather: async (request, localDate) => ({
    person: request.person,
    entityId: request.entityId,
    timeZone: request.timeZone,
    localDate,
    sections: [{ title: 'Weather', lines: [`fine on ${localDate}`] }],
  }),
};

export function briefingConfig(briefings: Record<string, unknown> = {}): ChorusConfig {
  return validateConfig(
    {
      platforms: { signal: { enabled: true, number: '+15550000001', defaultEntity: 'sage' } },
      entities: [
        { id: 'sage', username: 'Sage' },
        { id: 'captain', username: 'Captain' },
      ],
      briefings: { staggerSeconds: 0, ...briefings },
    },
    'test.json',
    {},
  ).config;
}

export class BriefingHarness {
  readonly sent: SentBriefing[] = [];
  readonly logger = memoryLogger();
  readonly #stores: ChorusStore[] = [];
  readonly #services: BriefingService[] = [];
  /** Make the next sends fail with this error. */
  failSends = 0;
  /** Each send takes this long (timers, so fake timers drive it). */
  sendDelayMs = 0;

  constructor(
    readonly dir: string,
    readonly config: ChorusConfig,
    readonly clock: Clock = systemClock,
    readonly generator: Generator = templateOnly,
  ) {}

  /** A service over its own connection to the shared database ("a process"). */
  service(
    processId: string,
    extra: Partial<Omit<BriefingServiceOptions, 'context' | 'send'>> = {},
  ): BriefingService {
    const store = new ChorusStore(openDatabase(join(this.dir, 'chorus.db')));
    this.#stores.push(store);
    const responder = new Responder({
      generator: this.generator,
      logger: this.logger,
      timeoutMs: 5000,
      maxReplyLength: 4000,
      partLimit: () => 2000,
    });
    const service = new BriefingService({
      context: {
        config: this.config,
        store,
        roster: new EntityRoster(this.config.entities),
        clock: this.clock,
        logger: this.logger,
        responder,
      },
      processId,
      gatherer: staticGatherer,
      send: async (person, entityId, text) => {
        if (this.sendDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.sendDelayMs));
        if (this.failSends > 0) {
          this.failSends--;
          throw new Error('signal-cli-rest-api refused');
        }
        this.sent.push({ person, entityId, text, at: this.clock.now(), by: processId });
      },
      ...extra,
    });
    this.#services.push(service);
    return service;
  }

  async close(): Promise<void> {
    for (const service of this.#services) await service.stop();
    for (const store of this.#stores) await store.close();
  }
}
