// The Signal platform: talks to signal-cli-rest-api with the Signal client, receives by polling (normal/native
// mode) or over the websocket (json-rpc mode, asked of /v1/about), answers messages through the engine and
// commands through the router, sends due reminders and (when configured) starts the morning briefings. A
// server that is down at start or later is retried with backoff; nothing here crashes the fleet.
import { dmChannel, entityMessage } from '../../core/message.js';
import { BriefingService } from '../briefings/index.js';
import type { PlatformContext, PlatformStarter, RunningPlatform } from '../platform.js';
import { HabitRepository } from '../../store/habit-repository.js';
import { ReminderRepository, type Reminder } from '../../store/reminder-repository.js';
import { SignalStateRepository } from '../../store/signal-state-repository.js';
import { splitUtf8 } from './byte-split.js';
import { SignalClient, toGroupSendId, type SignalAbout } from './client/index.js';
import { signalCommands } from './commands/signal-commands.js';
import { DmOwners } from './dm-owner.js';
import { personZones } from './person-zone.js';
import { ReminderTicker } from './reminders/reminder-ticker.js';
import { SendGate, type SendGateOptions } from './send-gate.js';
import { SignalConnection } from './signal-connection.js';
import { SignalInbound } from './signal-inbound.js';
import { SignalOutbound } from './signal-outbound.js';
import { SignalSender } from './signal-sender.js';
import { SignalTyping } from './typing-activity.js';

export interface SignalPlatformOptions {
  /** How often due reminders and the pending rate-limit report are looked at, in ms. */
  tickMs?: number;
  /** The rate-limit pause (see SendGate). */
  gate?: Omit<SendGateOptions, 'clock'>;
  /** Backoff while signal-cli-rest-api is unreachable (about, polling, websocket reconnects). */
  backoff?: { initialMs: number; maxMs: number };
  /** The server's receive timeout per poll, in seconds (normal/native mode). */
  receiveTimeoutSeconds?: number;
  typingRenewMs?: number;
  /** How often a send waiting out a rate limit looks at the gate, in ms. */
  gateCheckMs?: number;
  /** Identifies this process in briefing claim rows. */
  processId?: string;
}

export const DefaultSignalPlatformOptions = {
  tickMs: 15_000,
  backoff: { initialMs: 1000, maxMs: 60_000 },
  receiveTimeoutSeconds: 1,
  typingRenewMs: 10_000,
  gateCheckMs: 1000,
} satisfies Omit<Required<SignalPlatformOptions>, 'gate' | 'processId'>;

const WEEK = 7 * 86_400_000;

const describe = (about: SignalAbout | undefined) =>
  about ? `${about.mode} mode, signal-cli-rest-api ${about.version}` : 'not connected yet';

/** A Signal starter with test knobs; the fleet uses `startSignalPlatform` (the defaults). */
export function createSignalPlatformStarter(options: SignalPlatformOptions = {}): PlatformStarter {
  return (context) => start(context, { ...DefaultSignalPlatformOptions, ...options });
}

export const startSignalPlatform: PlatformStarter = createSignalPlatformStarter();

async function start(
  context: PlatformContext,
  o: SignalPlatformOptions & typeof DefaultSignalPlatformOptions,
): Promise<RunningPlatform | undefined> {
  const { config, store, roster, clock } = context;
  const settings = config.platforms.signal;
  if (!settings.enabled) return undefined;
  const number = settings.number?.trim();
  if (!number) {
    throw new Error(
      'platforms.signal.number is required when platforms.signal.enabled is true (the linked account, e.g. "+15550000001")',
    );
  }
  if (settings.defaultEntity !== undefined && !roster.get(settings.defaultEntity)) {
    throw new Error(`platforms.signal.defaultEntity "${settings.defaultEntity}" is not an entity id`);
  }
  const logger = context.logger.child({ component: 'signal' });
  const abort = new AbortController();
  const onFleetAbort = () => abort.abort(new Error('the fleet is shutting down'));
  context.signal.addEventListener('abort', onFleetAbort, { once: true });

  const client = new SignalClient({
    baseUrl: settings.url,
    number,
    timeoutMs: settings.requestTimeoutMs,
    logger,
  });
  const state = new SignalStateRepository(store.db);
  const reminders = new ReminderRepository(store.db);
  const habits = new HabitRepository(store.db);
  const zoneOf = personZones(store.db);
  const owners = new DmOwners(roster, state, settings.defaultEntity);
  const admins = config.admins.signal;
  const gate = new SendGate({ clock, ...o.gate });
  const outbound = new SignalOutbound({
    client,
    gate,
    admins,
    logger,
    signal: abort.signal,
    gateCheckMs: o.gateCheckMs,
  });
  const sender = new SignalSender({
    outbound,
    gate,
    inbox: store.inbox,
    state,
    roster,
    clock,
    logger,
    ownNumber: number,
    wakeEngine: () => context.wakeEngine(),
  });

  /** Sends text (split below 2,000 bytes) once the gate is open; resolves to the first chunk's timestamp. */
  const sendText = async (recipient: string, text: string): Promise<number | undefined> => {
    let first: number | undefined;
    for (const chunk of splitUtf8(text)) {
      const timestamp = await outbound.sendWhenOpen({ recipients: [recipient], message: chunk });
      first ??= timestamp;
    }
    return first;
  };

  const router = signalCommands({
    logger,
    roster,
    reminders,
    habits,
    state,
    owners,
    zoneOf,
    gate,
    solveChallenge: (token, captcha) => client.solveChallenge(token, captcha),
    status: () => [
      `Signal: ${describe(connection.about)}; receiving: ${connection.receiving ? 'yes' : 'no'}`,
      `Sends: ${outbound.sent} accepted; ${gate.closed ? `paused by a rate limit until ${new Date(gate.closedUntil).toISOString()}` : 'not paused'}`,
      `Outbox: ${JSON.stringify(store.outbox.counts())}`,
      `Entities: ${roster
        .all()
        .map((e) => `${e.id}${e.enabled ? '' : ' (disabled)'}`)
        .join(', ')}`,
    ],
  });

  let briefings: BriefingService | undefined;
  if (config.briefings.enabled) {
    briefings = new BriefingService({
      context: { ...context, signal: abort.signal },
      ...(o.processId !== undefined && { processId: o.processId }),
      send: async (person, entityId, text) => {
        const timestamp = await sendText(person, text);
        if (timestamp === undefined) return;
        // The briefing joins the DM's history, so the person can answer it (or quote it) in the conversation.
        store.inbox.insert(
          entityMessage({
            platform: 'signal',
            channel: dmChannel(entityId, person),
            platformId: `self:${timestamp}`,
            entity: { id: entityId, username: roster.get(entityId)?.username ?? entityId },
            text,
            createdAt: clock.now(),
          }),
        );
      },
    });
    router.add(briefings.command());
  }

  const inbound = new SignalInbound({
    ownNumber: number,
    inbox: store.inbox,
    db: store.db,
    state,
    roster,
    owners,
    router,
    admins,
    clock,
    logger,
    wakeEngine: () => context.wakeEngine(),
    training: context.training,
    history: context.history,
    reply: async (target, text) => {
      await sendText(target.group === undefined ? target.person : toGroupSendId(target.group), text);
    },
  });

  const ticker = new ReminderTicker({
    reminders,
    clock,
    logger,
    canSend: () => !gate.closed,
    deliver: async (reminder: Reminder) => {
      await outbound.sendNow({ recipients: [reminder.person], message: `⏰ Reminder: ${reminder.text}` });
    },
  });
  let lastPrune = 0;
  const tick = () => {
    void outbound.flushReport();
    void ticker.tick();
    if (clock.now() - lastPrune > 3_600_000) {
      lastPrune = clock.now();
      state.pruneCommandsSeen(clock.now() - WEEK);
    }
  };
  const tickTimer = setInterval(tick, o.tickMs);
  tickTimer.unref();

  const connection = new SignalConnection({
    client,
    baseUrl: settings.url,
    number,
    logger,
    onItem: (item) => inbound.handle(item),
    onConnected: () => briefings?.start(),
    pollIntervalMs: settings.pollIntervalMs,
    receiveTimeoutSeconds: o.receiveTimeoutSeconds,
    backoff: o.backoff,
  });
  connection.start();

  let stopping: Promise<void> | undefined;
  return {
    platform: 'signal',
    sender,
    activity: new SignalTyping({ client, gate, logger, renewMs: o.typingRenewMs }),
    status: () => ({
      mode: connection.about?.mode ?? 'connecting',
      receiving: connection.receiving ?? false,
      sent: outbound.sent,
      pausedUntil: gate.closed ? new Date(gate.closedUntil).toISOString() : null,
      rateLimitEpisode: gate.episode ?? null,
    }),
    stop: () =>
      (stopping ??= (async () => {
        abort.abort(new Error('the Signal platform is stopping'));
        context.signal.removeEventListener('abort', onFleetAbort);
        clearInterval(tickTimer);
        await connection.stop();
        await briefings?.stop();
        await inbound.idle();
        await ticker.idle();
      })()),
  };
}
