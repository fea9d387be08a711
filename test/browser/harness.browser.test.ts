import type { Browser } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  startLocalService,
  type LocalService,
} from './support/browser-harness';

/** The harness itself: the service serves the built pages, Chromium opens them, CSP holds. */
describe('browser harness', () => {
  let local: LocalService;
  let browser: Browser;
  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  it('serves pages under a CSP that refuses inline scripts, and runs axe-core in them', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${local.url}/healthz`);
    expect(response?.status()).toBe(200);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("script-src 'self'");
    const blocked = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__inline = true';
      document.body.appendChild(script);
      return (window as unknown as { __inline?: boolean }).__inline === true;
    });
    expect(blocked).toBe(false);
    expect(Array.isArray(await axeViolations(page))).toBe(true);
    await screenshot(page, 'harness-healthz');
  });

  it('answers an unknown asset with the JSON 404 every route gives', async () => {
    const asset = await fetch(`${local.url}/assets/does-not-exist.js`);
    expect(asset.status).toBe(404);
    expect(((await asset.json()) as { error: { type: string } }).error.type).toBe('not_found');
  });

  it('lets a SaaS page on any origin load the widget script', async () => {
    const widget = await fetch(`${local.url}/assets/tierlift-prompt.js`);
    expect(widget.status).toBe(200);
    expect(widget.headers.get('content-type')).toMatch(/javascript/);
    expect(widget.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await widget.text()).toContain('tierlift-prompt');
  });
});
