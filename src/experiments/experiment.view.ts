import type { StoredExperiment } from './experiments.repository';

export type ExperimentStatus = 'draft' | 'running' | 'stopped';

export function statusOf(experiment: StoredExperiment): ExperimentStatus {
  if (!experiment.startedAt) return 'draft';
  return experiment.stoppedAt ? 'stopped' : 'running';
}

/** An experiment as operators read it: its definition plus its state. */
export function experimentView(experiment: StoredExperiment) {
  return {
    object: 'experiment',
    ...experiment.definition,
    status: statusOf(experiment),
    started_at: experiment.startedAt?.toISOString() ?? null,
    stopped_at: experiment.stoppedAt?.toISOString() ?? null,
    created_at: experiment.createdAt.toISOString(),
    updated_at: experiment.updatedAt.toISOString(),
  };
}

const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** camelCase result objects to the API's snake_case; record keys that are data (country, plan codes) are left alone. */
export function snakeCaseKeys(value: unknown, dataKeys = false): unknown {
  if (Array.isArray(value)) return value.map((v) => snakeCaseKeys(v));
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [dataKeys ? k : snake(k), snakeCaseKeys(v, k === 'country' || k === 'plan')]),
  );
}
