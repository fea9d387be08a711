import type { Browser, Page } from 'playwright-core';
import { demoCatalog } from '../catalog/support/demo-catalog';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  startLocalService,
  type LocalService,
} from './support/browser-harness';
import { serveEmbedPage, type EmbedPage } from './support/embed-page';

/**
 * Acceptance 1 (pricing table) and the pricing-table part of acceptance 2: `<tierlift-pricing-table>`
 * embedded in a page of another origin, logged out (public catalog) and logged in (the account's
 * plan marked), at 1280 px and 390 px, the yearly saving equal to the catalog's, axe-core clean,
 * and in Arabic right to left.
 */
// The SaaS's page: a fixed port, so its origin can be allowed before the service starts.
const SHOP_PORT = 5999;
const SHOP = `http://127.0.0.1:${SHOP_PORT}`;

describe('<tierlift-pricing-table>', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;
  let shop: EmbedPage;
  const catalog = demoCatalog().catalog;

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService({ CORS_ALLOWED_ORIGINS: SHOP }), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('console', (message) => console.warn(`console: ${message.text()}`));
    page.on('pageerror', (error) => console.warn(`pageerror: ${error.message}`));
    shop = await serveEmbedPage(local.url, SHOP_PORT);
  });
  afterAll(async () => {
    await shop?.close();
    await browser?.close();
    await local?.stop();
  });

  const table = (selector: string) => page.locator(`tierlift-pricing-table ${selector}`);
  const open = async (attrs: string, lang = 'en') => {
    await page.goto(shop.url('tierlift-pricing-table', attrs, lang));
    await page.waitForSelector('tierlift-pricing-table[data-state]', { timeout: 10000 });
    await expect(page.getAttribute('tierlift-pricing-table', 'data-state')).resolves.toBe('shown');
  };
  const noSidewaysScroll = () =>
    page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
  const cardBoxes = async () => {
    const boxes = [];
    for (const card of await table('article[data-plan]').all()) boxes.push(await card.boundingBox());
    return boxes.map((b) => ({ x: Math.round(b!.x), y: Math.round(b!.y), right: Math.round(b!.x + b!.width) }));
  };

  it('logged out at 1280 px: every plan side by side, the yearly saving equal to the catalog, axe clean', async () => {
    await open('currency="usd"');
    await expect(table('article[data-plan]').count()).resolves.toBe(catalog.plans.length);
    const boxes = await cardBoxes();
    expect(new Set(boxes.map((b) => b.y)).size).toBe(1);
    expect(await table('[data-mark="current"]').count()).toBe(0);

    await table('button[data-interval="year"]').click();
    await page.waitForSelector('tierlift-pricing-table section[data-interval="year"]');
    await expect(table('button[data-interval="year"]').getAttribute('aria-pressed')).resolves.toBe('true');
    for (const plan of catalog.plans) {
      const saving = table(`article[data-plan="${plan.code}"] [data-saving]`);
      if (!plan.prices) {
        await expect(saving.count()).resolves.toBe(0);
        continue;
      }
      const expected = 12 * plan.prices.month!.usd! - plan.prices.year!.usd!;
      await expect(saving.getAttribute('data-saving')).resolves.toBe(String(expected));
      await expect(table(`article[data-plan="${plan.code}"] [data-price]`).getAttribute('data-price')).resolves.toBe(
        String(plan.prices.year!.usd),
      );
      const shown = (await saving.textContent())!.replace(/[^\d]/g, '');
      expect(shown).toBe(String(expected));
    }
    const size = await noSidewaysScroll();
    expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pricing-table-1280');
  });

  it('at 390 px: stacked cards, no sideways scroll, every choose button on screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('currency="eur" locale="de-DE"', 'de');
    const boxes = await cardBoxes();
    expect(new Set(boxes.map((b) => b.x)).size).toBe(1);
    for (const box of boxes) expect(box.right).toBeLessThanOrEqual(390);
    for (const button of await table('button[data-action="choose-plan"]').all()) {
      const b = (await button.boundingBox())!;
      expect(b.x + b.width).toBeLessThanOrEqual(390);
    }
    const size = await noSidewaysScroll();
    expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
    await expect(table('button[data-interval="month"]').textContent()).resolves.toBe('Monatlich');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pricing-table-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('"Choose" dispatches tierlift:choose-plan with the plan and interval', async () => {
    await open('currency="usd" interval="year"');
    const detail = page.evaluate(
      () =>
        new Promise((resolve) =>
          document.addEventListener('tierlift:choose-plan', (e) => resolve((e as CustomEvent).detail), { once: true }),
        ),
    );
    await table('button[data-action="choose-plan"][data-plan="premium"]').click();
    await expect(detail).resolves.toEqual({ plan: 'premium', interval: 'year', logged_in: false });
    await expect(table('dialog[open]').count()).resolves.toBe(0);
  });

  it('logged in (getToken set after the upgrade, no refresh): current and recommended marked, Choose opens the quote', async () => {
    await open('');
    const session = (await (await fetch(`${local.url}/demo/api/session?role=owner`)).json()) as { token: string };
    const own = (await (
      await fetch(`${local.url}/v1/plans`, { headers: { Authorization: `Bearer ${session.token}` } })
    ).json()) as { plans: Array<{ code: string; current: boolean }> };
    const account = { plan: own.plans.find((p) => p.current)!.code };
    await page.evaluate((token) => {
      const element = document.querySelector('tierlift-pricing-table') as HTMLElement & {
        getToken?: () => Promise<string>;
      };
      element.getToken = async () => token;
    }, session.token);
    await page.waitForSelector(`tierlift-pricing-table article[data-plan="${account.plan}"] [data-mark="current"]`);
    await expect(table('[data-mark="recommended"]').count()).resolves.toBe(1);
    await expect(table(`article[data-plan="${account.plan}"] button[data-action="choose-plan"]`).count()).resolves.toBe(
      0,
    );
    const recommended = (await table('article:has([data-mark="recommended"])').getAttribute('data-plan'))!;
    await table(`button[data-action="choose-plan"][data-plan="${recommended}"]`).click();
    await page.waitForSelector('tierlift-pricing-table dialog[open] [data-amount-due-now]');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pricing-table-logged-in-quote');
    await page.keyboard.press('Escape');
  });

  it('in Arabic (ar-EG): right to left, no sideways scroll at 390 px', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await open('locale="ar-EG" country="EG"', 'ar');
    await expect(table('section.pricing').getAttribute('dir')).resolves.toBe('rtl');
    await expect(table('section.pricing').getAttribute('lang')).resolves.toBe('ar-EG');
    // Right to left: the heading starts at the right edge of its card.
    const card = (await table('article[data-plan]').first().boundingBox())!;
    const heading = (await table('article[data-plan] h3').first().boundingBox())!;
    expect(card.x + card.width - (heading.x + heading.width)).toBeLessThan(card.x + card.width / 2);
    const size = await noSidewaysScroll();
    expect(size.scrollWidth).toBeLessThanOrEqual(size.clientWidth);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'pricing-table-ar-rtl-390');
    await page.setViewportSize({ width: 1280, height: 900 });
    await open('locale="ar-EG" country="EG"', 'ar');
    await screenshot(page, 'pricing-table-ar-rtl-1280');
  });
});
