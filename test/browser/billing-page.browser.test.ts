import crypto from 'node:crypto';
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
 * Acceptance 1, the billing page: `<tierlift-billing>` embedded on the SaaS's own origin. The owner
 * sees plan, renewal and usage, cancels with the smaller plan offered first; a member's page is
 * read-only and its "ask your admin" request reaches the owner's page. axe-core clean, 1280 and 390 px.
 *
 * NOTE for the merge: `GET /v1/subscription/cancel-preview` is the lifecycle issue's; while this
 * branch's service answers it 404, the test serves that ONE route with `page.route` in its documented
 * shape (from the catalog's prices). Everything else is the real service.
 */
const SHOP_PORT = 5997;
const SHOP = `http://127.0.0.1:${SHOP_PORT}`;

describe('<tierlift-billing>', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;
  let shop: EmbedPage;
  const tokens: Record<'owner' | 'member', string> = { owner: '', member: '' };
  const catalog = demoCatalog().catalog;

  const api = async <T>(path: string, init: RequestInit = {}, role: 'owner' | 'member' = 'owner'): Promise<T> => {
    const response = await fetch(`${local.url}${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${tokens[role]}`,
        'Content-Type': 'application/json',
        ...(init.method === 'POST' ? { 'Idempotency-Key': crypto.randomUUID() } : {}),
      },
    });
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService({ CORS_ALLOWED_ORIGINS: SHOP }), launchBrowser()]);
    shop = await serveEmbedPage(local.url, SHOP_PORT);
    for (const role of ['owner', 'member'] as const)
      tokens[role] = (
        (await (await fetch(`${local.url}/demo/api/session?role=${role}`)).json()) as { token: string }
      ).token;
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // The owner buys Premium through Checkout (the emulator's hosted page), as a customer would.
    const quote = await api<{ id: string }>('/v1/quotes', {
      method: 'POST',
      body: JSON.stringify({ plan: 'premium', interval: 'month', trial: false }),
    });
    const change = await api<{ checkout_url: string }>('/v1/changes', {
      method: 'POST',
      body: JSON.stringify({
        quote_id: quote.id,
        success_url: `${local.url}/demo?checkout=returned`,
        cancel_url: `${local.url}/demo`,
      }),
    });
    await page.goto(change.checkout_url);
    await page.click('button:has-text("Pay")');
    await page.waitForURL(/\/demo/);
    await fetch(`${local.url}/demo/api/settle`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{}',
    });
    // Its invoice reaches the invoice mirror through Stripe's webhooks: wait for it.
    for (let attempt = 0; attempt < 60; attempt += 1) {
      if ((await api<{ data: unknown[] }>('/v1/invoices')).data.length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });
  afterAll(async () => {
    await shop?.close();
    await browser?.close();
    await local?.stop();
  });

  const billing = (selector: string) => page.locator(`tierlift-billing ${selector}`);
  const open = async (role: 'owner' | 'member') => {
    await page.goto(shop.url('tierlift-billing'));
    await page.waitForFunction(() => !!customElements.get('tierlift-billing'));
    await page.evaluate((token) => {
      (document.querySelector('tierlift-billing') as HTMLElement & { getToken?: () => Promise<string> }).getToken =
        async () => token;
    }, tokens[role]);
    await page.waitForSelector(
      `tierlift-billing[data-state="shown"][data-role="${role === 'owner' ? 'manager' : 'member'}"]`,
    );
  };
  const noSidewaysScroll = async () => {
    const size = await page.evaluate(() => ({
      s: document.documentElement.scrollWidth,
      c: document.documentElement.clientWidth,
    }));
    expect(size.s).toBeLessThanOrEqual(size.c);
  };

  it('shows the owner the plan, its renewal and the usage meters, at 1280 and 390 px', async () => {
    await open('owner');
    await expect(billing('[data-current-plan]').getAttribute('data-current-plan')).resolves.toBe('premium');
    await expect(billing('[data-renewal]').getAttribute('data-renewal')).resolves.toBe('renews');
    expect(await billing('meter[data-feature="api_calls"]').count()).toBe(1);
    // The invoice of the Premium purchase, with Stripe's (the emulator's) hosted page and PDF.
    const invoice = billing('[data-invoices] li[data-invoice]').first();
    await expect(invoice.textContent()).resolves.toContain('$49.00');
    const links = await invoice.locator('a').evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(links).toHaveLength(2);
    const [hosted, pdf] = await Promise.all(links.map((href) => fetch(href)));
    expect(hosted!.status).toBe(200);
    expect(await hosted!.text()).toContain('Invoice');
    expect(pdf!.headers.get('content-type')).toBe('application/pdf');
    expect(await axeViolations(page)).toEqual([]);
    await noSidewaysScroll();
    await screenshot(page, 'billing-owner-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await noSidewaysScroll();
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'billing-owner-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('gives a member a read-only page whose "ask your admin" request reaches the owner', async () => {
    await open('member');
    expect(await billing('button[data-action="cancel-subscription"]').count()).toBe(0);
    await billing('select[name="kind"]').selectOption('payment_method');
    await billing('textarea[name="message"]').fill('The card on file expires this month.');
    await billing('button[data-action="ask-admin"]').click();
    await page.waitForFunction(() =>
      /Sent/.test(
        document.querySelector('tierlift-billing')?.shadowRoot?.querySelector('[data-status]')?.textContent ?? '',
      ),
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'billing-member-ask-admin-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await noSidewaysScroll();
    await screenshot(page, 'billing-member-ask-admin-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    await open('owner');
    const request = billing('[data-requests] li[data-kind="payment_method"]');
    await expect(request.count()).resolves.toBe(1);
    await expect(request.textContent()).resolves.toContain('The card on file expires this month.');
    await screenshot(page, 'billing-owner-sees-request');
  });

  // NOTE: before the refund claim below, which holds the account's billing lane.
  it('updates the card', async () => {
    const before = await api<{ payment_method: { id: string; brand: string } | null }>('/v1/account');
    expect(before.payment_method?.brand).toBe('visa');
    await open('owner');
    await expect(billing('[data-payment-method]').textContent()).resolves.toMatch(/Visa ending in \d{4}/);
    await billing('button[data-action="update-card"]').click();
    // Stripe's (the emulator's) hosted page in setup mode: the customer saves a Mastercard.
    await page.waitForURL(/\/checkout\/cs_/);
    await page.selectOption('select[name="card"]', 'pm_card_mastercard');
    await page.click('button:has-text("Save card")');
    await page.waitForURL(/tierlift_setup=done/);
    await page.waitForFunction(() => !!customElements.get('tierlift-billing'));
    await page.evaluate((token) => {
      (document.querySelector('tierlift-billing') as HTMLElement & { getToken?: () => Promise<string> }).getToken =
        async () => token;
    }, tokens.owner);
    const confirmation = billing('[data-setup-confirmation="updated"]');
    await confirmation.waitFor({ timeout: 45_000 });
    await expect(confirmation.textContent()).resolves.toMatch(/Mastercard ending in 4444/);
    await expect(billing('[data-payment-method]').getAttribute('data-payment-method')).resolves.toBe('mastercard:4444');
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'billing-card-updated');

    const after = await api<{ payment_method: { id: string; brand: string; last4: string } }>('/v1/account');
    expect(after.payment_method).toMatchObject({ brand: 'mastercard', last4: '4444' });
    expect(after.payment_method.id).not.toBe(before.payment_method?.id);
  });

  it('offers the smaller plan before canceling, then cancels at the period end', async () => {
    const preview = await fetch(`${local.url}/v1/subscription/cancel-preview`, {
      headers: { Authorization: `Bearer ${tokens.owner}` },
    });
    if (preview.status === 404) {
      const account = await api<{ subscription: { current_period_end: string } }>('/v1/account');
      const pro = catalog.plans.find((plan) => plan.code === 'pro')!;
      await page.route(`${local.url}/v1/subscription/cancel-preview`, (route) =>
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          headers: { 'Access-Control-Allow-Origin': SHOP },
          body: JSON.stringify({
            subscription: { plan: 'premium', interval: 'month' },
            cancel: { at_period_end: true, effective_at: account.subscription.current_period_end },
            alternatives: [
              {
                kind: 'smaller_plan',
                plan: 'pro',
                interval: 'month',
                price: { amount: pro.prices!.month!.usd, currency: 'usd' },
                fits_usage: true,
              },
            ],
          }),
        }),
      );
    }
    await open('owner');
    await billing('button[data-action="cancel-subscription"]').click();
    await page.waitForSelector('tierlift-billing dialog[open] [data-alternative="pro"]');
    await expect(billing('dialog [data-alternative="pro"] button').textContent()).resolves.toMatch(
      /Pro.*\$19\.00\/month/,
    );
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'billing-cancel-alternative-1280');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'billing-cancel-alternative-390');
    await page.setViewportSize({ width: 1280, height: 900 });

    await billing('button[data-action="confirm-cancel"]').click();
    await page.waitForSelector('tierlift-billing [data-renewal="ends"]');
    const account = await api<{ subscription: { cancel_at_period_end: boolean } }>('/v1/account');
    expect(account.subscription.cancel_at_period_end).toBe(true);
    await page.unroute(`${local.url}/v1/subscription/cancel-preview`);
  });

  it('claims the money-back guarantee after a confirmation step', async () => {
    await open('owner');
    await billing('button[data-action="request-refund"]').first().click();
    await page.waitForSelector('tierlift-billing dialog[open] button[data-action="confirm-refund"]');
    await expect(billing('dialog[open]').textContent()).resolves.toContain('$49.00');
    // Nothing is refunded before the customer confirms (and says why).
    await billing('button[data-action="confirm-refund"]').click();
    await expect(billing('dialog[open]').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'billing-refund-confirmation');
    await billing('dialog textarea').fill('It does not fit our workflow.');
    await billing('button[data-action="confirm-refund"]').click();
    await page.waitForFunction(() =>
      /Refund of \$49\.00 requested/.test(
        document.querySelector('tierlift-billing')?.shadowRoot?.querySelector('[data-status]')?.textContent ?? '',
      ),
    );
    const account = await api<{ refunds: Array<{ amount: number }> }>('/v1/account');
    expect(account.refunds.map((refund) => refund.amount)).toContain(4900);
  });
});
