// Slash command invocations: the INTERACTION_CREATE payload discord.js needs (entitlements included), and the
// record of how the bot answered (callbacks, editReply bodies, follow-ups) that tests read and wait on.
import { ALL_PERMISSIONS, channelObject, memberObject, userObject } from './shapes.js';
import { ChannelType, type BotState, type ChannelState, type FakeWorld } from './state.js';
import type { FakeInteraction, FakeInvocation, FakeMessage } from './types.js';

type Waiter = { predicate: (content: string) => boolean; resolve: (content: string) => void };

export class InteractionRecord implements FakeInteraction {
  readonly callbacks: { type: number; data?: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly edits: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly followUps: any[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** the original response (ephemeral or not), once the bot replied or deferred */
  original: FakeMessage | undefined;
  ephemeral = false;
  /** follow-up messages, for edits through /webhooks/{app}/{token}/messages/{id} */
  readonly followUpMessages: FakeMessage[] = [];
  private readonly contents: string[] = [];
  private waiters: Waiter[] = [];

  constructor(
    readonly id: string,
    readonly token: string,
    readonly bot: BotState,
    readonly channel: ChannelState,
    readonly invocation: FakeInvocation,
  ) {}

  /** `interaction_metadata` of the messages that answer this interaction. */
  metadata(): Record<string, unknown> {
    const guildId = this.channel.guildId;
    return {
      id: this.id,
      type: 2,
      name: this.invocation.name,
      command_type: 1,
      user: userObject(this.invocation.user),
      authorizing_integration_owners:
        guildId !== undefined ? { '0': guildId } : { '1': this.invocation.user.id },
    };
  }

  get acknowledged(): boolean {
    return this.callbacks.length > 0;
  }

  /** Called whenever the bot's response text changes (reply, editReply, follow-up). */
  noteContent(content: unknown): void {
    if (typeof content !== 'string') return;
    this.contents.push(content);
    const due = this.waiters.filter((w) => w.predicate(content));
    this.waiters = this.waiters.filter((w) => !due.includes(w));
    for (const waiter of due) waiter.resolve(content);
  }

  waitForResponse(predicate: (content: string) => boolean = () => true, timeoutMs = 5000): Promise<string> {
    const seen = [...this.contents].reverse().find(predicate);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(
          new Error(
            `fake discord: interaction ${this.id} got no matching response within ${timeoutMs} ms; responses so far: ${JSON.stringify(this.contents)}`,
          ),
        );
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (content) => {
          clearTimeout(timer);
          resolve(content);
        },
      };
      this.waiters.push(waiter);
    });
  }
}

/** INTERACTION_CREATE's payload for a chat-input command. */
export function interactionPayload(
  world: FakeWorld,
  record: InteractionRecord,
  invocation: FakeInvocation,
  commandId: string,
): Record<string, unknown> {
  const { channel, bot } = record;
  const guild = world.guilds.find((g) => g.id === channel.guildId);
  const user = world.rememberUser(invocation.user);
  const permissions = invocation.permissions ?? '0';
  return {
    id: record.id,
    application_id: bot.applicationId,
    type: 2,
    token: record.token,
    version: 1,
    data: {
      id: commandId,
      name: invocation.name,
      type: 1,
      ...(invocation.options && { options: invocation.options }),
      ...(guild && { guild_id: guild.id }),
    },
    ...(guild
      ? {
          guild_id: guild.id,
          member: { ...memberObject(world, guild, user), permissions },
          guild_locale: 'en-US',
        }
      : { user: userObject(user) }),
    channel: channelObject(world, channel),
    channel_id: channel.id,
    app_permissions: ALL_PERMISSIONS,
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: guild ? { '0': guild.id } : { '1': user.id },
    context: channel.type === ChannelType.DM ? 1 : 0,
    attachment_size_limit: 10_485_760,
  };
}
