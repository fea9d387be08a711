import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startLocalService, type LocalService } from './support/browser-harness';

/**
 * Acceptance 1 in Chromium against `npm start`'s local mode: usage past 80% → a German upgrade
 * prompt → the comparison table → a quote with the exact amount → Checkout → Premium → a week
 * later the construction training → refund → the free plan again. Every step is checked on the
 * page and on GET /v1/account (or the entitlements) with the test's own owner token.
 */
describe('demo journey', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  const api = async <T>(path: string, init: RequestInit = {}): Promise<T> => {
    const response = await fetch(`${local.url}${path}`, {
      ...init,
      headers: { Authorization: `Bearer ${local.ownerToken}`, 'Content-Type': 'application/json', ...init.headers },
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  };
  interface Account {
    locale: string;
    subscription: { plan: string; status: string } | null;
    refunds: Array<{ status: string }>;
  }
  const account = () => api<Account>('/v1/account');
  const plan = async () => (await api<{ plan: string }>('/v1/entitlements')).plan;
  const widget = (selector: string) => page.locator(`tierlift-prompt ${selector}`);

  it('walks from usage past 80% to a trial of the upgrade, a cross-sell on its day, and the first charge at its end', async () => {
    await page.goto(`${local.url}/demo`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('#current-plan')).toBe('Free');
    expect(await plan()).toBe('free');

    // The persona switch: the owner, in German.
    await page.selectOption('#persona-locale', 'de-DE');
    await page.click('#persona button[type="submit"]');
    await page.waitForSelector('text=Signed in as the owner, in de-DE.');
    expect((await account()).locale).toBe('de-DE');

    // 900 of 1,000 API calls: 90%.
    for (let click = 0; click < 3; click += 1) {
      await page.click('button[data-feature="api_calls"]');
      await page.waitForSelector(`#meter-api_calls[value="${(click + 1) * 300}"]`);
    }
    const entitlements = await api<{ data: Array<{ feature: string; percent: number }> }>('/v1/entitlements');
    expect(entitlements.data.find((e) => e.feature === 'api_calls')?.percent).toBe(90);
    await page.waitForSelector('tierlift-prompt[data-state="shown"]');
    const prompt = widget('article').first();
    await expect(prompt.getAttribute('lang')).resolves.toBe('de');
    // The smallest plan that fits the day's pace (900 calls → ~27,000 a month: Pro's 50,000), not the largest.
    await expect(prompt.getAttribute('data-offer')).resolves.toBe('pro');
    await expect(prompt.locator('.price').getAttribute('data-amount')).resolves.toBe('1900');
    await expect(prompt.locator('button[data-action="compare"]').textContent()).resolves.toBe('Tarife vergleichen');
    await expect(prompt.locator('button[data-action="dismiss"]').textContent()).resolves.toBe('Nein, danke');
    // Pro's 14-day trial comes first: the prompt says so, and promises no guarantee for a charge it does not cover.
    await expect(prompt.locator('[data-price-note]').textContent()).resolves.toContain('14 Tage kostenlos');
    await expect(prompt.locator('.badge').count()).resolves.toBe(0);
    await expect(prompt.locator('summary').textContent()).resolves.toBe('Warum sehe ich das?');
    await screenshot(page, 'journey-1-upgrade-prompt-de');

    // The comparison table, in a dialog.
    await prompt.locator('button[data-action="compare"]').click();
    await page.waitForSelector('tierlift-prompt dialog[open] table[data-comparison]');
    await expect(widget('dialog h2').textContent()).resolves.toBe('Tarife vergleichen');
    await screenshot(page, 'journey-2-comparison');

    // The person compares and chooses Premium; the quote: the amount on the page is the API's to the cent.
    await widget('dialog button[data-plan="premium"]').click();
    await page.waitForSelector('tierlift-prompt [data-amount-due-now]');
    const shownMinor = Number(await widget('[data-amount-due-now]').getAttribute('data-amount-due-now'));
    const shownText = (await widget('[data-amount-due-now]').textContent()) ?? '';
    const apiQuote = await api<{ amount_due_now: number; currency: string }>('/v1/quotes', {
      method: 'POST',
      body: JSON.stringify({ plan: 'premium', interval: 'month' }),
    });
    // Free → Premium starts the catalog's 14-day trial (issue #20): nothing today, 49,00 $ at its end.
    expect(shownMinor).toBe(apiQuote.amount_due_now);
    expect(apiQuote).toMatchObject({
      amount_due_now: 0,
      currency: 'usd',
      trial: { days: 14 },
      next_invoice: { amount: 4900 },
    });
    expect(shownText.replace(/\s/g, ' ')).toBe('0,00 $');
    await expect(widget('[data-quote-id] p.terms').first().textContent()).resolves.toContain('49,00');
    await screenshot(page, 'journey-3-quote');

    // Confirm → Checkout (the emulator's hosted page) → back on the demo page, on Premium.
    await widget('button[data-action="confirm"]').click();
    await page.waitForURL(/\/checkout\/cs_/);
    await screenshot(page, 'journey-4-checkout');
    await page.click('button:has-text("Pay")');
    await page.waitForURL(/\/demo/);
    await page.waitForSelector('#current-plan[data-plan="premium"]', { timeout: 30000 });
    expect((await account()).subscription).toMatchObject({ plan: 'premium', status: 'trialing' });
    expect(await plan()).toBe('premium');
    await screenshot(page, 'journey-5-premium');

    // Nothing about training yet; a week later it is there, in German.
    await page.waitForSelector('tierlift-prompt[data-state]');
    expect(await widget('article[data-offer="training_construction"]').count()).toBe(0);
    await page.fill('#clock-days', '7');
    await page.click('#clock button[type="submit"]');
    await page.waitForSelector('tierlift-prompt article[data-offer="training_construction"]');
    const training = widget('article[data-offer="training_construction"]');
    await expect(training.getAttribute('data-kind')).resolves.toBe('cross_sell');
    await expect(training.locator('h2').textContent()).resolves.toContain('Bauwesen');
    await screenshot(page, 'journey-6-training-cross-sell');

    // The trial ends (day 15): the first charge, exactly the quoted 49,00 $, makes Premium active.
    await page.fill('#clock-days', '8');
    await page.click('#clock button[type="submit"]');
    let status: string | undefined;
    for (let i = 0; i < 60 && status !== 'active'; i += 1) {
      status = (await account()).subscription?.status;
      if (status !== 'active') await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(status).toBe('active');

    expect(await plan()).toBe('premium');
    await screenshot(page, 'journey-7-trial-converted');
  });
});
