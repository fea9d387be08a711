import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  startLocalService,
  type LocalService,
} from './support/browser-harness';
import { serveEmbedPage, type EmbedPage } from './support/embed-page';

/**
 * Acceptance 1, the widget's half: every error state in the person's language with a retry and no
 * developer message on screen (those go to the console), `getToken` set at any time, and the
 * confirmation on the way back from Checkout, even when the page configures its token late.
 */
const SHOP_PORT = 5998;
const SHOP = `http://127.0.0.1:${SHOP_PORT}`;
/** What an end user must never read: the API's, the browser's and the widget's developer messages. */
const DEVELOPER_WORDS =
  /Failed to fetch|token is invalid|tierlift-prompt:|getToken|Invalid option|expected one of|http_\d+/i;

describe('prompt widget robustness', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;
  let shop: EmbedPage;
  let token: string;
  let consoleLines: string[] = [];

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService({ CORS_ALLOWED_ORIGINS: SHOP }), launchBrowser()]);
    shop = await serveEmbedPage(local.url, SHOP_PORT);
    token = ((await (await fetch(`${local.url}/demo/api/session?role=owner`)).json()) as { token: string }).token;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => consoleLines.push(message.text()));
  });
  afterAll(async () => {
    await shop?.close();
    await browser?.close();
    await local?.stop();
  });

  const widgetText = () =>
    page.evaluate(() => {
      const root = document.querySelector('tierlift-prompt')?.shadowRoot;
      return root ? [...root.children].map((child) => (child as HTMLElement).innerText ?? '').join('\n') : '';
    });
  const setToken = (value: string) =>
    page.evaluate((t) => {
      const element = document.querySelector('tierlift-prompt') as HTMLElement & { getToken?: () => Promise<string> };
      element.getToken = async () => t;
    }, value);
  const open = async (attrs: string, lang = 'en') => {
    consoleLines = [];
    await page.goto(shop.url('tierlift-prompt', attrs, lang));
    await page.waitForFunction(() => !!customElements.get('tierlift-prompt'));
  };

  it('renders when getToken is set after the element is upgraded, without refresh()', async () => {
    await open('placement="dashboard"');
    const before = await page.getAttribute('tierlift-prompt', 'data-state');
    expect(before).toBeNull();
    await setToken(token);
    await page.waitForSelector('tierlift-prompt[data-state]');
    expect(await widgetText()).not.toMatch(DEVELOPER_WORDS);
  });

  it.each([
    ['a network failure', 'network', 'de-DE', /Abrechnungsdienst ist nicht erreichbar/],
    ['an expired token', 'token', 'en', /session has ended/],
    ['a bad placement', 'placement', 'es-ES', /Algo salió mal/],
    ['a server error', 'server', 'en', /busy right now/],
  ])(
    '%s: human copy in the person’s language, a retry that recovers, details in the console',
    async (_n, kind, locale, words) => {
      let broken = true;
      await page.route(`${local.url}/v1/prompts**`, async (route) => {
        if (!broken) return route.continue();
        if (kind === 'network') return route.abort('failed');
        if (kind === 'server')
          return route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: '{"error":{"type":"api_error","code":"http_503","message":"upstream down"}}',
          });
        return route.continue();
      });
      const placement = kind === 'placement' ? 'nowhere' : 'dashboard';
      await open(`placement="${placement}" locale="${locale}"`, locale);
      await setToken(kind === 'token' ? 'not-a-token' : token);
      await page.waitForSelector('tierlift-prompt[data-state="error"]', { timeout: 20000 });
      const text = await widgetText();
      expect(text).toMatch(words);
      expect(text).not.toMatch(DEVELOPER_WORDS);
      await expect(page.locator('tierlift-prompt button[data-action="retry"]').count()).resolves.toBe(1);
      expect(consoleLines.some((line) => line.startsWith('tierlift-prompt:'))).toBe(true);
      expect(await axeViolations(page, 'tierlift-prompt')).toEqual([]);
      await screenshot(page, `widget-error-${kind}`);

      // The cause goes away; "retry" brings the prompts without a reload.
      broken = false;
      // A fresh token renders by itself (getToken is watched); a fixed placement too; else "retry".
      if (kind === 'token') await setToken(token);
      else if (kind === 'placement')
        await page.evaluate(() => document.querySelector('tierlift-prompt')!.setAttribute('placement', 'dashboard'));
      else await page.click('tierlift-prompt button[data-action="retry"]');
      await page.waitForSelector('tierlift-prompt:is([data-state="shown"], [data-state="empty"])');
      await page.unroute(`${local.url}/v1/prompts**`);
    },
  );

  it('comes back from Checkout to a confirmation, the token configured late, then follows the change', async () => {
    await page.goto(`${local.url}/demo`);
    await page.waitForSelector('body[data-ready="true"]');
    // 900 of 1,000 API calls: the upgrade prompt.
    for (let click = 0; click < 3; click += 1) {
      await page.click('button[data-feature="api_calls"]');
      await page.waitForSelector(`#meter-api_calls[value="${(click + 1) * 300}"]`);
    }
    await page.waitForSelector('tierlift-prompt article button[data-action="purchase"]');
    await page.locator('tierlift-prompt article button[data-action="purchase"]').first().click();
    await page.waitForSelector('tierlift-prompt [data-amount-due-now]');
    await page.click('tierlift-prompt button[data-action="confirm"]');
    await page.waitForURL(/\/checkout\/cs_/);
    consoleLines = [];
    await page.click('button:has-text("Pay")');
    await page.waitForURL(/checkout=returned|\/demo/);
    const banner = page.locator('tierlift-prompt [data-checkout-confirmation="returned"]');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(/payment went through/);
    // The pending change is followed to its outcome and announced.
    await page.waitForFunction(
      () =>
        /plan has changed/.test(
          document.querySelector('tierlift-prompt')?.shadowRoot?.querySelector('[data-status]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 30000 },
    );
    expect(await widgetText()).not.toMatch(DEVELOPER_WORDS);
    expect(await axeViolations(page, 'tierlift-prompt')).toEqual([]);
    await screenshot(page, 'widget-after-checkout-confirmation');
  });

  it('a canceled Checkout says nothing was charged', async () => {
    await page.goto(`${local.url}/demo?checkout=canceled`);
    const banner = page.locator('tierlift-prompt [data-checkout-confirmation="canceled"]');
    await banner.waitFor();
    await expect(banner.textContent()).resolves.toMatch(/Nothing was charged/);
    await screenshot(page, 'widget-checkout-canceled');
  });
});
