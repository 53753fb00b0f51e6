// /chorus markov train: pages backwards through a channel's history, 100 messages at a time, then through its
// threads (active and archived public ones), and trains the people's messages with text into the channel's Markov
// scopes directly (never through the inbox, which would make old history look new to the engine). Idempotent by
// source, so a second run only adds what is new. Edits a progress message at most every `progressIntervalMs`,
// stops between pages when Chorus shuts down, and runs once at a time per channel.
import type { Collection, Message } from 'discord.js';
import { AdminCommandError, answer, defer, type AdminRequest } from './admin-request.js';
import { discordIdsInInbox } from './inbox-lookup.js';
import { importedSource } from './imported-source.js';
import { channelScopes, trainingOf } from './markov-stats-command.js';
import {
  estimateRemainingMs,
  progressText,
  snowflakeTime,
  summaryText,
  type TrainCounts,
} from './train-progress.js';

const PAGE = 100;

/** What is read: the channel, or one of its threads. */
interface HistorySource {
  id: string;
  name: string;
  messages: {
    fetch(options: { limit: number; before?: string; cache: boolean }): Promise<Collection<string, Message>>;
  };
}

interface ThreadSource extends HistorySource {
  parentId: string | null;
}

interface ThreadHolder {
  threads: {
    cache: Collection<string, ThreadSource>;
    fetchActive(cache?: boolean): Promise<{ threads: Collection<string, ThreadSource> }>;
    fetchArchived(
      options: { type: 'public'; before?: string; limit?: number },
      cache?: boolean,
    ): Promise<{ threads: Collection<string, ThreadSource>; hasMore: boolean }>;
  };
}

const olderId = (a: string, b: string) => (BigInt(a) < BigInt(b) ? a : b);

function isTrainable(m: Message): boolean {
  return !m.author.bot && !m.webhookId && !m.system && m.content.trim().length > 0;
}

/** The channel's threads: cached, active and archived public ones (a listing that fails is logged and skipped). */
async function threadsOf(channel: HistorySource, request: AdminRequest): Promise<ThreadSource[]> {
  if (!('threads' in channel)) return [];
  const holder = channel as unknown as ThreadHolder;
  const found = new Map<string, ThreadSource>();
  const keep = (t: ThreadSource) => {
    if (t.parentId === channel.id) found.set(t.id, t);
  };
  holder.threads.cache.forEach(keep);
  try {
    (await holder.threads.fetchActive(false)).threads.forEach(keep);
  } catch (error) {
    request.logger.warn('listing active threads failed', { channel: channel.id, error: String(error) });
  }
  try {
    let before: string | undefined;
    for (let pages = 0; pages < 1000 && !request.signal.aborted; pages++) {
      const archived = await holder.threads.fetchArchived(
        { type: 'public', limit: PAGE, ...(before !== undefined && { before }) },
        false,
      );
      archived.threads.forEach(keep);
      const last = archived.threads.last();
      if (!archived.hasMore || !last) break;
      before = last.id;
    }
  } catch (error) {
    request.logger.warn('listing archived threads failed', { channel: channel.id, error: String(error) });
  }
  return [...found.values()];
}

async function resolveChannel(request: AdminRequest, id: string): Promise<HistorySource> {
  const channel = await request.interaction.client.channels.fetch(id).catch(() => null);
  if (!channel || !channel.isTextBased() || channel.isDMBased() || !('messages' in channel)) {
    throw new AdminCommandError(`<#${id}> is not a guild text channel or thread this bot can read`);
  }
  return channel as unknown as HistorySource;
}

export async function markovTrain(request: AdminRequest, channelId: string): Promise<void> {
  const training = trainingOf(request);
  const scopes = channelScopes(training, channelId);
  if (request.training.has(channelId)) {
    throw new AdminCommandError(`a training of <#${channelId}> is already running`);
  }
  request.training.add(channelId);
  try {
    await defer(request.interaction);
    await run(request, channelId, scopes);
  } finally {
    request.training.delete(channelId);
  }
}

async function run(request: AdminRequest, channelId: string, scopes: string[]): Promise<void> {
  const { clock, markovPool, store, config } = request.deps.context;
  // Messages the inbox holds are trained by the engine as they arrive; importing them too would count them twice.
  const liveTrained = config.markovSettings.trainOnMessages;
  const training = trainingOf(request);
  const { interaction, signal, logger } = request;
  const label = `<#${channelId}>`;
  const channel = await resolveChannel(request, channelId);
  const started = clock.now();
  const counts: TrainCounts = {
    read: 0,
    trained: 0,
    live: 0,
    added: 0,
    skipped: 0,
    pages: 0,
    threadsDone: 0,
    threads: 0,
  };
  const channelCreatedAt = snowflakeTime(channel.id) ?? started;
  let newestAt: number | undefined;
  let oldestReadAt: number | undefined;
  let lastEdit: number | undefined;

  const report = async (reading: { thread: string } | { etaMs: number | undefined }) => {
    const now = clock.now();
    if (lastEdit !== undefined && now - lastEdit < request.progressIntervalMs) return;
    lastEdit = now;
    await answer(interaction, progressText(label, counts, now - started, reading)).catch((error: unknown) => {
      // The interaction's token lasts 15 minutes; training goes on without progress after that.
      logger.debug('editing the training progress failed', { error: String(error) });
    });
  };

  /** Reads one source to its beginning; returns false when stopped. */
  const read = async (source: HistorySource, isThread: boolean): Promise<boolean> => {
    let before: string | undefined;
    for (;;) {
      if (signal.aborted) return false;
      const page = await source.messages.fetch({
        limit: PAGE,
        cache: false,
        ...(before !== undefined && { before }),
      });
      if (page.size === 0) return true;
      counts.pages++;
      const rows = [];
      const live = liveTrained ? discordIdsInInbox(store, [...page.keys()]) : new Set<string>();
      for (const message of page.values()) {
        counts.read++;
        before = before === undefined ? message.id : olderId(before, message.id);
        if (!isThread) {
          const at = snowflakeTime(message.id);
          if (at !== undefined && (newestAt === undefined || at > newestAt)) newestAt = at;
        }
        if (!isTrainable(message)) counts.skipped++;
        else if (live.has(message.id)) counts.live++;
        else rows.push({ source: importedSource(message.author.id, message.id), text: message.content });
      }
      counts.trained += rows.length;
      counts.added += training.trainImported('discord', channelId, rows);
      if (!isThread && before !== undefined) oldestReadAt = snowflakeTime(before);
      await report(
        isThread
          ? { thread: source.name }
          : {
              etaMs: estimateRemainingMs({
                elapsedMs: clock.now() - started,
                channelCreatedAt,
                newestAt,
                oldestReadAt,
              }),
            },
      );
      if (page.size < PAGE) return true;
    }
  };

  let stopped: string | undefined;
  if (await read(channel, false)) {
    const threads = signal.aborted ? [] : await threadsOf(channel, request);
    counts.threads = threads.length;
    for (const thread of threads) {
      if (!(await read(thread, true))) break;
      counts.threadsDone++;
    }
  }
  if (signal.aborted) stopped = 'Chorus is shutting down; run it again to go on (known messages are skipped)';
  else if (markovPool && counts.added > 0) {
    // Brings each scope's snapshot up to date now, in the worker pool, rather than on the next reply.
    for (const scope of scopes) {
      await markovPool.run({ kind: 'build', scope }).catch((error: unknown) => {
        logger.warn('rebuilding a Markov scope after training failed', { scope, error: String(error) });
      });
    }
  }
  const elapsed = clock.now() - started;
  logger.info('markov training from Discord history finished', {
    channel: channelId,
    user: interaction.user.id,
    ...counts,
    elapsedMs: elapsed,
    stopped: stopped !== undefined,
  });
  await answer(interaction, summaryText(label, counts, elapsed, scopes, stopped));
}
