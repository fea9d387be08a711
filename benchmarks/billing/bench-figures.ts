import os from 'node:os';

/** bench:changes' figures: one sample per request, percentiles per round, medians of rounds. */

export interface Sample {
  kind: 'quote' | 'change';
  operation: string;
  totalMs: number;
  stripeMs: number;
  overheadMs: number;
  /** Wall time with at least one PostgreSQL query of the app outstanding (part of the overhead). */
  postgresMs: number;
  /** This process's CPU time during the request outside Stripe calls (the app and the client; not PostgreSQL's). */
  appCpuMs: number;
  stripeCalls: number;
  queries: number;
  commits: number;
}

export const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const loadLine = () =>
  `${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

const METRICS = ['totalMs', 'stripeMs', 'overheadMs', 'postgresMs', 'appCpuMs'] as const;
const PERCENTILES = [50, 90, 99] as const;
export type Summary = Record<(typeof METRICS)[number], Record<(typeof PERCENTILES)[number], number>> & {
  n: number;
  stripeCalls: number;
  queries: number;
  commits: number;
};

export function summarize(samples: Sample[]): Summary {
  const summary = {
    n: samples.length,
    stripeCalls: median(samples.map((s) => s.stripeCalls)),
    queries: median(samples.map((s) => s.queries)),
    commits: median(samples.map((s) => s.commits)),
  } as Summary;
  for (const metric of METRICS) {
    const values = samples.map((s) => s[metric]);
    summary[metric] = { 50: percentile(values, 50), 90: percentile(values, 90), 99: percentile(values, 99) };
  }
  return summary;
}

const triple = (s: Summary, metric: (typeof METRICS)[number]) =>
  PERCENTILES.map((p) => fmt(s[metric][p], 2)).join(' / ');

export function printSummary(label: string, s: Summary): void {
  console.log(
    `  ${label.padEnd(28)} n=${String(s.n).padStart(3)}  total ${triple(s, 'totalMs').padEnd(24)} Stripe ${triple(s, 'stripeMs').padEnd(24)} overhead ${triple(s, 'overheadMs')}`,
  );
  console.log(
    `  ${''.padEnd(34)} of which PostgreSQL ${triple(s, 'postgresMs').padEnd(24)} app CPU ${triple(s, 'appCpuMs').padEnd(24)} (${s.stripeCalls} Stripe calls, ${s.queries} queries, ${s.commits} commits)`,
  );
}

/** The median over rounds of each percentile of each metric. */
export function medianOfRounds(rounds: Summary[]): Summary {
  const out = {
    n: rounds.reduce((sum, r) => sum + r.n, 0),
    stripeCalls: median(rounds.map((r) => r.stripeCalls)),
    queries: median(rounds.map((r) => r.queries)),
    commits: median(rounds.map((r) => r.commits)),
  } as Summary;
  for (const metric of METRICS) {
    out[metric] = { 50: NaN, 90: NaN, 99: NaN };
    for (const p of PERCENTILES) out[metric][p] = median(rounds.map((r) => r[metric][p]));
  }
  return out;
}
