import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Issue #22: one source for the API's types. The typed client's types are generated from the
 * app's OpenAPI document; this fails when a route spec changed and `npm run generate:client-types`
 * was not run (the file would describe an API the server no longer serves).
 * NOTE: the generator runs in its own process: openapi-typescript's dependencies are ES modules.
 */
const ROOT = path.join(__dirname, '..', '..');
const FILE = path.join(ROOT, 'src', 'web', 'browser', 'client', 'api-types.generated.ts');

describe('the typed client’s generated API types', () => {
  let generated = '';
  beforeAll(() => {
    const run = spawnSync('npx', ['tsx', 'src/cli/generate-client-types.ts', '--stdout'], {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    if (run.status !== 0) throw new Error(`generator failed: ${run.stderr}`);
    generated = run.stdout;
  }, 120_000);

  it('are what the current route specs generate (run `npm run generate:client-types`)', () => {
    expect(generated.length).toBeGreaterThan(10_000);
    expect(fs.readFileSync(FILE, 'utf8') === generated).toBe(true);
  });

  it('describe the routes the widget calls, as the server answers them', () => {
    for (const route of [
      "'/v1/prompts'",
      "'/v1/quotes'",
      "'/v1/changes'",
      "'/v1/plans'",
      "'/v1/entitlements/{feature}'",
    ])
      expect(generated).toContain(route);
    expect(generated).toMatch(/price_basis: 'due_now' \| 'list'/);
  });
});
