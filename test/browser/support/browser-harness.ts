import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { spawnService, type SpawnedService } from '../../support/spawn-service';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../../..');
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts', 'screenshots');

export interface LocalService {
  url: string;
  ownerToken: string;
  adminKey: string;
  serverKey: string;
  service: SpawnedService;
  dataDir: string;
  stop(): Promise<void>;
}

/**
 * The real entry point in local mode, as `npm start` runs it: embedded PostgreSQL in a fresh
 * DATA_DIR, the Stripe emulator, the demo catalog and account, and the printed credentials.
 */
export async function startLocalService(env: Record<string, string> = {}): Promise<LocalService> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tierlift-browser-'));
  fs.chmodSync(dataDir, 0o755);
  const service = spawnService({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ...env });
  const stop = async () => {
    if (service.child.exitCode === null && service.child.signalCode === null) {
      service.child.kill('SIGTERM');
      await service.waitForExit(30000).catch(() => service.child.kill('SIGKILL'));
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const listening = await service.waitForLog('listening', 180000);
    const printed = (label: string) => waitForPrinted(service, label);
    const [ownerToken, adminKey, serverKey] = await Promise.all([
      printed('Demo owner token'),
      printed('Admin API key'),
      printed('Server API key'),
    ]);
    // NOTE: bound to 127.0.0.1, the service names itself by that address, Checkout return links included.
    const url = String(listening.url);
    return { url, ownerToken, adminKey, serverKey, service, dataDir, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPrinted(service: SpawnedService, label: string, timeoutMs = 60000): Promise<string> {
  const pattern = new RegExp(`${label}:\\s+(\\S+)`);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(service.output());
    if (match?.[1]) return match[1];
    if (Date.now() > until) throw new Error(`"${label}" was not printed:\n${service.output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Debian's Chromium, headless, with the flags that keep it off this machine's closed network. */
export async function launchBrowser(): Promise<Browser> {
  // NOTE: playwright gives every launch a fresh temporary profile of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A full-page screenshot kept as a test artifact (test-artifacts/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^a-z0-9_-]+/gi, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe-core in the page (optionally on one element) and returns what it found, readable. */
export async function axeViolations(page: Page, selector?: string): Promise<AxeViolation[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // NOTE: evaluated through the DevTools protocol, so the page's CSP (no inline scripts) still holds.
  await page.evaluate(source);
  // NOTE: colours are judged as they settle: mid fade-in (the widget's 180 ms entrance) text is still
  // partly transparent and fails contrast. Reduced motion turns the entrance off (widget-styles.ts).
  await page.emulateMedia({ reducedMotion: 'reduce' });
  try {
    return await violationsIn(page, selector);
  } finally {
    await page.emulateMedia({ reducedMotion: null });
  }
}

function violationsIn(page: Page, selector: string | undefined): Promise<AxeViolation[]> {
  return page.evaluate(async (context) => {
    const axe = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<AxeRun> } }).axe;
    interface AxeRun {
      violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
    }
    const result = await axe.run(context ?? document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => JSON.stringify(n.target)),
    }));
  }, selector ?? null);
}
