import { periodicTask } from '../../src/shared/periodic-task';
import { createLogger } from '../../src/shared/logger';

const logger = createLogger({ level: 'error', format: 'json', silent: true });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('periodicTask', () => {
  it('runs at start, never overlaps a slow run, and stop waits for the run in flight', async () => {
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    const task = periodicTask(
      'slow job',
      async () => {
        active += 1;
        maxActive = Math.max(maxActive, active);
        runs += 1;
        await sleep(60);
        active -= 1;
      },
      logger,
    );
    await task.start(10);
    expect(runs).toBe(1);
    await sleep(200);
    await task.stop();
    expect(maxActive).toBe(1);
    expect(active).toBe(0);
    const afterStop = runs;
    await sleep(50);
    expect(runs).toBe(afterStop);
  });

  it('logs a failed run and keeps ticking', async () => {
    let runs = 0;
    const errors: string[] = [];
    const spy = { ...logger, error: (message: string) => errors.push(message) } as unknown as typeof logger;
    const task = periodicTask(
      'flaky job',
      async () => {
        runs += 1;
        if (runs === 1) throw new Error('boom');
      },
      spy,
    );
    await task.start(10);
    await sleep(60);
    await task.stop();
    expect(errors).toEqual(['flaky job failed']);
    expect(runs).toBeGreaterThan(1);
  });
});
