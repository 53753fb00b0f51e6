// Percentiles and small formatting helpers shared by the benchmarks.

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i] as number;
}

export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

export interface BenchResult {
  suite: string;
  figures: Record<string, number | string | boolean | null>;
  /** Each budget: the figure's name, the limit, and whether the figure met it. */
  budgets: { figure: string; limit: string; met: boolean }[];
  notes: string[];
}
