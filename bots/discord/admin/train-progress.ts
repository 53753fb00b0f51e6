// What `/chorus markov train` reports while it pages through a channel's history. Discord gives no message count,
// so the remaining time is estimated from time coverage: message ids carry their creation time, and a channel's id
// its own, so the span from the newest message back to the oldest one read so far, over the span back to the
// channel's creation, is the fraction of the history done, assuming people posted at a steady rate over the
// channel's life (a busy start makes the estimate too short, a busy end too long). Threads are counted apart.

/** Discord's epoch (2015-01-01) in ms; a snowflake's top bits are ms since it. */
const DISCORD_EPOCH = 1_420_070_400_000n;

/** When a Discord id (snowflake) was made, in ms since 1970; undefined for a malformed id. */
export function snowflakeTime(id: string): number | undefined {
  if (!/^\d{1,20}$/.test(id)) return undefined;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

export interface TrainCounts {
  /** Messages read from Discord so far. */
  read: number;
  /** Human messages with text, sent for training. */
  trained: number;
  /** People's messages the inbox holds: the engine trains those as they arrive, so they are not imported. */
  live: number;
  /** Of those trained, rows new to the scopes (the rest were trained before). */
  added: number;
  /** Bots', webhooks', system and empty messages. */
  skipped: number;
  pages: number;
  /** Threads read so far, and threads found in all. */
  threadsDone: number;
  threads: number;
}

export interface TrainPosition {
  elapsedMs: number;
  /** Creation times (ms) of the channel, of its newest message, and of the oldest message read so far. */
  channelCreatedAt: number;
  newestAt: number | undefined;
  oldestReadAt: number | undefined;
}

/** Estimated ms left for the channel's own history (threads not counted); undefined until it can be guessed. */
export function estimateRemainingMs(p: TrainPosition): number | undefined {
  if (p.newestAt === undefined || p.oldestReadAt === undefined || p.elapsedMs <= 0) return undefined;
  const total = p.newestAt - p.channelCreatedAt;
  const covered = p.newestAt - p.oldestReadAt;
  if (total <= 0 || covered <= 0) return undefined;
  const fraction = Math.min(1, covered / total);
  return Math.round((p.elapsedMs * (1 - fraction)) / fraction);
}

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** The progress message: counts, rate, and the estimated time left while the channel itself is read. */
export function progressText(
  channel: string,
  counts: TrainCounts,
  elapsedMs: number,
  reading: { thread: string } | { etaMs: number | undefined },
): string {
  const seconds = elapsedMs / 1000;
  const rate = seconds > 0 ? Math.round(counts.read / seconds) : 0;
  let eta: string;
  if ('thread' in reading) {
    eta = `Reading thread ${reading.thread}; ${counts.threads - counts.threadsDone} thread(s) left`;
  } else if (reading.etaMs === undefined) eta = 'ETA: not known yet';
  else {
    eta = `ETA for the channel: ~${formatDuration(reading.etaMs)} (from how far back in time the pages have reached; threads come after)`;
  }
  return [
    `Training ${channel}…`,
    `${n(counts.read)} messages read in ${n(counts.pages)} pages (${n(counts.trained)} trained, ${n(counts.skipped)} skipped), ${n(rate)}/s, ${formatDuration(elapsedMs)} so far`,
    `Threads: ${counts.threadsDone}/${counts.threads}`,
    eta,
  ].join('\n');
}

/** The final summary. */
export function summaryText(
  channel: string,
  counts: TrainCounts,
  elapsedMs: number,
  scopes: readonly string[],
  stopped?: string,
): string {
  const head = stopped
    ? `Stopped training ${channel}: ${stopped}.`
    : `Trained ${channel} in ${formatDuration(elapsedMs)}.`;
  return [
    head,
    `${n(counts.read)} messages read in ${n(counts.pages)} pages, ${counts.threadsDone}/${counts.threads} threads.`,
    `${n(counts.trained)} trained (${n(counts.added)} new row(s) over ${scopes.length} scope(s); known ones are skipped), ${n(counts.live)} already trained live from the inbox, ${n(counts.skipped)} skipped (bots, webhooks, system or empty).`,
    `Scopes: ${scopes.join(', ')}`,
  ].join('\n');
}
