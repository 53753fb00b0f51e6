// Discord snowflakes for the fake: (ms since the Discord epoch) << 22 plus an increment, so discord.js decodes a
// real createdTimestamp from every id, and ids made in the same millisecond still sort in creation order.

export const DISCORD_EPOCH = 1_420_070_400_000n;

export class SnowflakeGenerator {
  private last = 0n;

  constructor(private readonly now: () => number) {}

  /** A new id for something created at `at` (default: now). */
  next(at: number = this.now()): string {
    let id = (BigInt(Math.floor(at)) - DISCORD_EPOCH) << 22n;
    if (id <= this.last) id = this.last + 1n;
    this.last = id;
    return id.toString();
  }
}

/** Milliseconds since the Unix epoch encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}

/** Orders snowflake strings numerically (they exceed 2^53, so never compare them as numbers). */
export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
