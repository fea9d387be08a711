import type { Browser } from 'playwright-core';
import { launchBrowser, screenshot, startLocalService, type LocalService } from './support/browser-harness';

/** /docs renders the whole document in Swagger UI under the service's CSP (no inline script). */
describe('the API reference page', () => {
  let local: LocalService;
  let browser: Browser;
  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('shows every operation of /openapi.json, with nothing refused by the CSP', async () => {
    const document = (await (await fetch(`${local.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
      webhooks?: Record<string, Record<string, unknown>>;
    };
    // NOTE: Swagger UI lists the outbound event catalog (the document's `webhooks`, #21) beside the routes.
    const operations = [document.paths, document.webhooks ?? {}]
      .flatMap((items) => Object.values(items))
      .reduce((n, item) => n + Object.keys(item).length, 0);
    const page = await browser.newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') refused.push(message.text());
    });
    page.on('pageerror', (error) => refused.push(error.message));
    const response = await page.goto(`${local.url}/docs`);
    expect(response?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.opblock', { timeout: 60_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.info .title').textContent()).toContain('Tierlift API');
    await screenshot(page, 'api-reference');
    expect(refused).toEqual([]);
  });
});
