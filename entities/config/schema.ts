// The schema of config-aientities.json, with every default in one place.
// Shape follows the seed system (botSettings, lmStudioServers, clusterSettings, entities[]);
// Chorus adds platforms, markov, memory and admins. Unknown keys are warned about elsewhere (unknown-keys.ts).
import { z } from 'zod';
import { briefingsSchema } from './briefings-schema.js';
import {
  boolean,
  channelList,
  httpUrl,
  integerBetween,
  nonEmptyText,
  nonNegativeInteger,
  nonNegativeNumber,
  numberBetween,
  oneOf,
  positiveInteger,
  positiveNumber,
  secretRef,
  text,
  textList,
  unescapeNewlines,
} from './checks.js';

export const LOAD_BALANCING_STRATEGIES = ['model-affinity', 'least-loaded', 'round-robin'] as const;
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

const multiline = () => text().transform(unescapeNewlines);
const multilineList = () => textList().transform((list) => list.map(unescapeNewlines));

export const botSettingsSchema = z
  .object({
    /** How often the polling engine drains the inbox, in ms (it also wakes as soon as a message arrives). */
    pollingInterval: positiveInteger().default(1000),
    /** How many inbox messages the engine takes per drain. */
    batchSize: positiveInteger().default(500),
    /** At most this many entities answer one message. */
    maxRepliesPerMessage: positiveInteger().default(2),
    /** How long a mentioned entity waits for its rate limit (ms) before the mention goes unanswered. */
    mentionWaitMs: nonNegativeInteger().default(10_000),
    /** Bot-to-bot exchanges allowed since the last human message in a channel. */
    maxBotExchanges: nonNegativeInteger().default(3),
    /** Replies longer than this many characters are cut at a sentence or word boundary. */
    maxReplyLength: positiveInteger().default(2000),
    /** How long a generator may take for one reply, in ms, before the fallback answers. */
    generationTimeout: positiveInteger().default(30_000),
    /** Seed-system switch: false lowers the log level to warnings. */
    enableConsoleLogs: boolean().default(true),
    logLevel: oneOf(LOG_LEVELS).optional(),
  })
  .default({});

export const globalSettingsSchema = z
  .object({
    /** Fleet-wide minimum gap between two posts by any entity, in ms. */
    minTimeBetweenMessages: nonNegativeInteger().default(0),
    /** Fleet-wide cap on posts per minute (absent: no cap). */
    maxMessagesPerMinute: positiveInteger().optional(),
    /** Fleet-wide cap on posts per hour (absent: no cap). */
    maxMessagesPerHour: positiveInteger().optional(),
    /** The model used by entities that name none. */
    defaultModel: text().optional(),
  })
  .default({});

export const serverSchema = z.object({
  ip: nonEmptyText(),
  port: integerBetween(1, 65535),
  enabled: boolean().default(true),
  name: text().optional(),
  capabilities: z
    .object({
      /** Memory for models on this server, in GB. */
      maxMemory: positiveNumber().default(16),
      /** Requests the server runs at once before queueing (LM Studio's parallel slots). */
      parallelSlots: positiveInteger().default(4),
      supportedFormats: textList().default([]),
      preferredModels: textList().default([]),
    })
    .default({}),
});

export const clusterSettingsSchema = z
  .object({
    loadBalancingStrategy: oneOf(LOAD_BALANCING_STRATEGIES).default('model-affinity'),
    requestTimeout: positiveInteger().default(30_000),
    healthCheckInterval: positiveInteger().default(5000),
    healthCheckTimeout: positiveInteger().default(2000),
    /** The seed system's name for the health-check interval; used when healthCheckInterval is absent. */
    pollInterval: positiveInteger().optional(),
    maxRetries: nonNegativeInteger().default(2),
    modelLoadTimeout: positiveInteger().default(120_000),
    maxLoadAttempts: positiveInteger().default(60),
    keepModelsLoaded: boolean().default(true),
    modelUnloadDelay: nonNegativeInteger().optional(),
    maxQueueSize: positiveInteger().default(1000),
  })
  .default({});

export const markovSettingsSchema = z
  .object({
    /** Use the Markov fallback at all. */
    enabled: boolean().default(true),
    /** Every human message trains its channel's chain (and entity scopes present there) as it arrives. */
    trainOnMessages: boolean().default(true),
    minWords: positiveInteger().default(3),
    maxWords: positiveInteger().default(40),
    /** Attempts per reply before reporting failure. */
    maxTries: positiveInteger().default(20),
    /** Human messages of a channel the inbox already holds, trained into a scope when it is created. */
    historyOnStart: nonNegativeInteger().default(5000),
    /** Threads of the Markov worker pool (default: the number of cores). */
    workerThreads: positiveInteger().optional(),
    /** Memory cap for hot chains, in MB, shared by the pool's threads; colder chains load from SQLite. */
    cacheMegabytes: positiveInteger().default(256),
  })
  .default({});

const rateLimitsSchema = z
  .object({
    minSecondsBetweenPosts: nonNegativeNumber().default(0),
    maxPostsPerMinute: positiveInteger().optional(),
    maxPostsPerHour: positiveInteger().optional(),
  })
  .default({});

const conversationSettingsSchema = z
  .object({
    respondsToHumanMessages: boolean().default(true),
    respondsToAllAiMessages: boolean().default(true),
    /** When not empty, the only entities (ids or usernames) whose messages this entity answers. */
    respondsToTheseAiOnly: textList().default([]),
  })
  .default({});

const entityPlatformsSchema = z
  .object({
    web: z.object({ enabled: boolean().default(true), channels: channelList().default(['*']) }).default({}),
    discord: z
      .object({
        enabled: boolean().default(true),
        /** The entity's own bot token. Without one, the entity speaks through the webhook host's channel webhooks. */
        token: secretRef().optional(),
        /** Channel ids (snowflakes) the entity reads and answers in. */
        channels: textList().default([]),
        /** Answer direct messages sent to the entity's own bot. */
        dms: boolean().default(false),
        /** Avatar shown on webhook posts (entities without a token). */
        avatarUrl: httpUrl().optional(),
      })
      .optional(),
    signal: z
      .object({
        enabled: boolean().default(true),
        /** Signal group ids (the internal base64 id, as received) the entity answers in. */
        groups: textList().default([]),
        /** Answer direct messages addressed to this entity. */
        dms: boolean().default(true),
      })
      .optional(),
  })
  .default({});

export const entitySchema = z.object({
  id: nonEmptyText(),
  username: nonEmptyText(),
  enabled: boolean().default(true),
  baseModel: text().optional(),
  quantizations: z
    .record(z.object({ modelPath: nonEmptyText(), enabled: boolean().default(true) }))
    .default({}),
  defaultQuantization: text().optional(),
  systemRole: text().default('system'),
  systemPrompt: multiline().default(''),
  userPrompt: multiline().default(''),
  filterOut: multilineList().default([]),
  trimAfter: multilineList().default([]),
  trimWhitespace: boolean().default(true),
  addNewlineToContext: boolean().default(true),
  addEntityUsername: boolean().default(true),
  /** How many recent channel messages form the entity's context window. */
  nom: positiveInteger().default(20),
  defaultPriority: integerBetween(0, 100).default(50),
  temperature: numberBetween(0, 2).default(0.7),
  maxTokens: positiveInteger().default(200),
  topP: numberBetween(0, 1).default(0.9),
  topK: nonNegativeInteger().default(40),
  repeatPenalty: positiveNumber().default(1.1),
  minP: numberBetween(0, 1).default(0.05),
  responseChance: numberBetween(0, 1).default(0.2),
  color: text().optional(),
  rateLimits: rateLimitsSchema,
  conversationSettings: conversationSettingsSchema,
  platforms: entityPlatformsSchema,
  markov: z
    .object({
      /** "channel" (default): the channel's own history; "entity": its seed text and its channels; any other name: a shared scope. */
      scope: text().default('channel'),
      stateSize: integerBetween(1, 4).default(2),
      seedText: textList().default([]),
    })
    .default({}),
  memory: z.object({ enabled: boolean().default(false) }).default({}),
});

export const platformsSchema = z
  .object({
    web: z
      .object({
        enabled: boolean().default(true),
        host: nonEmptyText().default('127.0.0.1'),
        port: integerBetween(0, 65535).default(4000),
        channels: channelList().default(['general']),
        adminToken: secretRef().optional(),
      })
      .default({}),
    discord: z
      .object({
        enabled: boolean().default(false),
        /** Discord's REST API base (discord.js `rest.api`); the gateway address is discovered from it. */
        restBaseUrl: httpUrl().default('https://discord.com/api'),
        /** The entity whose bot registers and answers the /chorus admin commands (default: the first with a token). */
        commandsEntity: text().optional(),
        /** The entity whose bot creates the channel webhooks that token-less entities speak through. */
        webhookHost: text().optional(),
        /** Show a reply streamed from the cluster by editing it in place, at most once per this many ms. */
        streamEditIntervalMs: positiveInteger().default(1000),
      })
      .default({}),
    signal: z
      .object({
        enabled: boolean().default(false),
        /** The signal-cli-rest-api address. */
        url: httpUrl().default('http://127.0.0.1:8080'),
        /** The linked account's number (E.164); required when Signal is enabled. */
        number: text().optional(),
        /** How often to poll for messages in normal/native mode, in ms. */
        pollIntervalMs: positiveInteger().default(1000),
        /** Timeout of one HTTP call to signal-cli-rest-api, in ms (a receive waits longer, see the README). */
        requestTimeoutMs: positiveInteger().default(15_000),
        /** The entity that answers direct messages when the sender has not chosen one. */
        defaultEntity: text().optional(),
      })
      .default({}),
  })
  .default({});

export const configSchema = z.object({
  version: text().optional(),
  botSettings: botSettingsSchema,
  globalSettings: globalSettingsSchema,
  lmStudioServers: z.array(serverSchema).default([]),
  clusterSettings: clusterSettingsSchema,
  markovSettings: markovSettingsSchema,
  platforms: platformsSchema,
  admins: z.object({ discord: textList().default([]), signal: textList().default([]) }).default({}),
  briefings: briefingsSchema,
  entities: z.array(entitySchema),
});

export type ChorusConfig = z.output<typeof configSchema>;
export type EntityConfig = ChorusConfig['entities'][number];
export type ServerConfig = ChorusConfig['lmStudioServers'][number];
export type BotSettings = ChorusConfig['botSettings'];
export type MarkovSettings = ChorusConfig['markovSettings'];
export type ClusterSettings = ChorusConfig['clusterSettings'];
