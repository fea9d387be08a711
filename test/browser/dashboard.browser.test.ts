import crypto from 'node:crypto';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import type { Browser, Page } from 'playwright-core';
import { DEV_DEFAULTS } from '../../src/config/config';
import { assignVariant } from '../../src/experiments/assignment';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  SCREENSHOTS,
  startLocalService,
  type LocalService,
} from './support/browser-harness';

/**
 * Acceptance 3: the operator dashboard at /admin, in Chromium, over data made through the real API of
 * the real service in local mode. An experiment on an offer rule gets a deliberately skewed split
 * (48 accounts in a, 16 in b, for 50/50 weights) and a few paid conversions through Checkout on the
 * emulator; one converter claims its guarantee refund. The page must show both variants with their
 * rates and intervals, the sample-ratio-mismatch warning, the funnel and MRR charts drawn with their
 * data tables, refunds and the webhook inbox's numbers — with a screenshot of each section.
 */
const RULE = 'dash_welcome_pro';
const EXPERIMENT = {
  key: 'dash_split',
  hypothesis: 'A welcome Pro offer on the dashboard converts new free accounts.',
  rule_id: RULE,
  variants: [
    { key: 'a', weight: 1 },
    { key: 'b', weight: 1 },
  ],
  primary_metric: { type: 'conversion', window_days: 14 },
  planned_sample_size: 100,
};
const IN_A = 48;
const IN_B = 16;
const CONVERTERS = { a: 3, b: 2 } as const;
const LOCALE = 'en-US';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read loosely by the assertions
type Json = Record<string, any>;

describe('the operator dashboard', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;

  const api = async (
    method: string,
    path: string,
    auth: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: Json }> => {
    const response = await fetch(`${local.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${auth}`, 'Content-Type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
  const admin = (method: string, path: string, body?: unknown) => api(method, path, local.adminKey, body);
  /** An end-user token signed like the demo's (src/local/demo.ts) with local mode's dev secret. */
  const userToken = (accountId: string) =>
    jwt.sign({ sub: `user_${accountId}`, account_id: accountId, role: 'owner' }, DEV_DEFAULTS.jwtSecret, {
      algorithm: 'HS256',
      audience: DEV_DEFAULTS.jwtAudience,
      issuer: DEV_DEFAULTS.jwtIssuer,
      expiresIn: '1h',
    });

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
    await prepareData();
    const context = await browser.newContext({ locale: LOCALE, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 420_000);
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  async function inBatches<T>(items: readonly T[], size: number, run: (item: T) => Promise<void>) {
    for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(run));
  }

  async function prepareData(): Promise<void> {
    expect(
      (
        await admin('POST', '/admin/v1/offers', {
          id: RULE,
          kind: 'upsell',
          trigger: { type: 'days_after_signup', days: 0, within_days: 3650 },
          audience: { industries: ['dashboard_test'] },
          offer: { type: 'plan', plan: 'pro', interval: 'month' },
          placements: ['dashboard'],
          priority: 999,
          copy: 'welcome_pro',
        })
      ).status,
    ).toBe(201);
    expect((await admin('POST', '/admin/v1/experiments', EXPERIMENT)).status).toBe(201);
    expect((await admin('POST', `/admin/v1/experiments/${EXPERIMENT.key}/start`)).status).toBe(200);

    // The arm is a pure function of (experiment key, account id): pick ids to make the split 48 / 16.
    const accounts: Array<{ id: string; variant: 'a' | 'b' }> = [];
    const wanted = { a: IN_A, b: IN_B };
    for (let i = 0; accounts.length < IN_A + IN_B; i += 1) {
      const id = `dash_${i.toString().padStart(4, '0')}`;
      const assignment = assignVariant({ ...EXPERIMENT, holdout: 0 }, id);
      const variant = assignment.kind === 'variant' ? (assignment.variant as 'a' | 'b') : null;
      if (variant && wanted[variant] > 0) {
        wanted[variant] -= 1;
        accounts.push({ id, variant });
      }
    }
    const signedUp = new Date(Date.now() - 86_400_000).toISOString();
    await inBatches(accounts, 8, async ({ id }) => {
      const put = await api('PUT', `/v1/accounts/${id}`, local.serverKey, {
        name: `Dashboard ${id}`,
        email: `${id}@example.com`,
        country: 'US',
        locale: 'en-US',
        industry: 'dashboard_test',
        created_at: signedUp,
      });
      expect([200, 201]).toContain(put.status);
    });

    // Each account loads its dashboard once: the prompt's first impression is its exposure.
    const promptOf = new Map<string, string>();
    await inBatches(accounts, 8, async ({ id, variant }) => {
      const prompts = await api('GET', '/v1/prompts?placement=dashboard', userToken(id));
      expect(prompts.status).toBe(200);
      const prompt = prompts.body.data.find(
        (p: { experiment?: { key: string } }) => p.experiment?.key === EXPERIMENT.key,
      );
      expect(prompt?.experiment.variant).toBe(variant);
      promptOf.set(id, prompt.id);
    });

    // A few convert: click, quote, change (free → Pro goes through Checkout), pay on the emulator's page.
    const converters = [
      ...accounts.filter((a) => a.variant === 'a').slice(0, CONVERTERS.a),
      ...accounts.filter((a) => a.variant === 'b').slice(0, CONVERTERS.b),
    ].map((a) => a.id);
    for (const id of converters) {
      const token = userToken(id);
      expect((await api('POST', `/v1/prompts/${promptOf.get(id)}/events`, token, { type: 'click' })).status).toBe(200);
      const quote = await api('POST', '/v1/quotes', token, { plan: 'pro', interval: 'month', trial: false });
      expect(quote.status).toBe(201);
      const change = await api(
        'POST',
        '/v1/changes',
        token,
        { quote_id: quote.body.id },
        {
          'Idempotency-Key': crypto.randomUUID(),
        },
      );
      expect(change.body.status).toBe('checkout_required');
      const paid = await fetch(`${change.body.checkout_url}/pay`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'card=pm_card_visa',
        redirect: 'manual',
      });
      expect(paid.status).toBeLessThan(400);
      await eventually(async () => {
        const shown = await api('GET', `/v1/changes/${change.body.operation_id}`, token);
        expect(shown.body.status).toBe('applied');
      });
    }

    // One converter takes the money-back guarantee.
    const refunder = userToken(converters[0] as string);
    const eligible = await api('GET', '/v1/refunds/eligibility', refunder);
    expect(eligible.body.data.length).toBeGreaterThan(0);
    const refund = await api(
      'POST',
      '/v1/refunds',
      refunder,
      { purchase_id: eligible.body.data[0].purchase_id, reason: 'Not what we needed.' },
      { 'Idempotency-Key': crypto.randomUUID() },
    );
    expect(refund.status).toBe(200);
    await eventually(async () => {
      const { body } = await admin('GET', '/admin/v1/refunds');
      expect(body.data.map((r: { status: string }) => r.status)).toEqual(['succeeded']);
    });

    expect((await admin('POST', '/admin/v1/reconciliations', {})).status).toBe(201);
    // The inbox settles before the page reads it, so the page and /metrics can be compared.
    await eventually(async () => {
      const counts = await inboxCounts();
      expect((counts.received ?? 0) + (counts.processing ?? 0)).toBe(0);
      expect(counts.processed ?? 0).toBeGreaterThan(0);
    }, 60_000);
  }

  async function inboxCounts(): Promise<Record<string, number>> {
    const text = await (await fetch(`${local.url}/metrics`)).text();
    const counts: Record<string, number> = {};
    for (const m of text.matchAll(/^tierlift_webhook_events\{status="(\w+)"\} (\d+)$/gm)) counts[m[1]!] = Number(m[2]);
    return counts;
  }

  async function eventually(check: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await check();
      } catch (error) {
        if (Date.now() > until) throw error;
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  /** Non-blank pixels on a canvas: Chart.js drew something. */
  const drawnPixels = (selector: string) =>
    page.$eval(selector, (canvas) => {
      const c = canvas as HTMLCanvasElement;
      if (c.width === 0 || c.height === 0) return 0;
      const pixels = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted += 1;
      return painted;
    });
  const rowCells = (table: string, header: string) =>
    page
      .locator(`${table} tbody tr`, { has: page.locator(`th[scope="row"]`, { hasText: new RegExp(`^${header}$`) }) })
      .locator('th, td')
      .allInnerTexts();
  const sectionShot = (id: string) =>
    page.locator(`#${id}`).screenshot({ path: path.join(SCREENSHOTS, `dashboard-${id}.png`) });

  it('refuses a wrong key (401) and a key of another kind (403) with a clear message', async () => {
    await page.goto(`${local.url}/admin`);
    await page.getByLabel('Admin API key').fill('not-the-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText('#sign-in-message', /not accepted \(401\)/);
    await page.getByLabel('Admin API key').fill(local.serverKey);
    await page.keyboard.press('Enter');
    await expectText('#sign-in-message', /not the admin key \(403\)/);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.locator('#dashboard').isHidden()).toBe(true);
    await screenshot(page, 'dashboard-sign-in-refused');
  });

  it('signs in with the admin key, kept in sessionStorage only', async () => {
    await page.getByLabel('Admin API key').fill(local.adminKey);
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-state="loaded"]', { timeout: 60_000 });
    expect(await page.evaluate(() => Object.values(sessionStorage))).toEqual([local.adminKey]);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.locator('section[data-state="error"]').count()).toBe(0);
    await screenshot(page, 'dashboard-full');
  });

  it("shows the experiment's two variants with rates and intervals, and warns of the skewed split", async () => {
    const results = (await admin('GET', `/admin/v1/experiments/${EXPERIMENT.key}/results`)).body;
    expect(results.sample_ratio.mismatch).toBe(true);
    const percent = new Intl.NumberFormat(LOCALE, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    const article = `[data-experiment="${EXPERIMENT.key}"]`;
    for (const [variant, exposures] of [
      ['a', IN_A],
      ['b', IN_B],
    ] as const) {
      const arm = results.arms.find((x: { variant: string }) => x.variant === variant);
      expect(arm.exposures).toBe(exposures);
      expect(arm.conversions.successes).toBe(CONVERTERS[variant]);
      const cells = await rowCells(`${article} table.arms`, variant);
      expect(cells.slice(0, 5)).toEqual([
        variant,
        String(exposures),
        String(CONVERTERS[variant]),
        percent.format(arm.conversions.rate),
        `${percent.format(arm.conversions.lower)} – ${percent.format(arm.conversions.upper)}`,
      ]);
    }
    // a: 3/48 = 6.3% (2.1%–16.8%); b: 2/16 = 12.5%: the page says so in these words.
    expect(await rowCells(`${article} table.arms`, 'a')).toContain('6.3%');
    expect(await rowCells(`${article} table.arms`, 'b')).toContain('12.5%');

    const warning = page.locator(`${article} .srm-warning`);
    await expect(warning.isVisible()).resolves.toBe(true);
    const words = await warning.innerText();
    expect(words).toContain('Sample ratio mismatch');
    expect(words).toContain('a 48 / b 16');
    expect(words).toContain('p < 0.001');

    const comparison = await rowCells(`${article} table.comparisons`, 'b vs a');
    expect(comparison.join(' ')).toContain('sample ratio mismatch');
    const uplift = results.comparisons[0].relative_uplift;
    const signed = new Intl.NumberFormat(LOCALE, {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
      signDisplay: 'exceptZero',
    });
    expect(comparison).toContain(signed.format(uplift.value));
    expect(comparison).toContain(`${signed.format(uplift.lower)} – ${signed.format(uplift.upper)}`);

    const canvas = `${article} canvas[role="img"]`;
    expect(await page.getAttribute(canvas, 'aria-label')).toContain('a 6.3%');
    expect(await drawnPixels(canvas)).toBeGreaterThan(500);
    await page.locator(article).scrollIntoViewIfNeeded();
    await sectionShot('experiments');
  });

  it('draws the funnel and the MRR movements, each with its data table', async () => {
    expect(await drawnPixels('#chart-funnel')).toBeGreaterThan(500);
    const funnel = await rowCells('#funnel table', RULE);
    // impressions, clicks, quotes, paid changes, refunds
    expect(funnel.slice(1, 6)).toEqual([String(IN_A + IN_B), '5', '5', '5', '1']);
    expect(await page.getAttribute('#chart-funnel', 'aria-label')).toContain(`${RULE}: 64 impressions`);
    await sectionShot('funnel');

    expect(await drawnPixels('#chart-mrr-usd')).toBeGreaterThan(500);
    const month = new Date().toISOString().slice(0, 7);
    const movements = await rowCells('#revenue figure table', month);
    const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' });
    // Five Pro subscriptions started ($19 each), one refunded: its reversal is churn.
    expect(movements).toEqual([
      month,
      money.format(95),
      money.format(0),
      money.format(0),
      money.format(-19),
      money.format(76),
    ]);
    expect(await page.locator('#revenue figure table tbody tr').count()).toBe(6);
    // Money collected this month: five paid changes, one refunded; no renewals yet.
    const collected = await rowCells('#revenue table:has(caption:has-text("Collected this month"))', 'USD');
    expect(collected).toEqual(['USD', money.format(95), money.format(0), '0', money.format(-19), money.format(76)]);
    await sectionShot('revenue');
  });

  it('lists the guarantee refund with totals, and the webhook inbox numbers /metrics reports', async () => {
    const money = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: 'USD' });
    expect(await page.locator('#refunds table.refunds tbody tr').count()).toBe(1);
    expect(await page.locator('#refunds table.refunds tbody tr').innerText()).toContain(money.format(19));
    const totals = await page.locator('#refunds table.refund-totals tbody tr').allInnerTexts();
    expect(totals.join('\n')).toContain(money.format(19));
    await sectionShot('refunds');

    const counts = await inboxCounts();
    for (const status of ['processed', 'failed', 'dead']) {
      const cells = await rowCells('#webhooks table.inbox-counts', status);
      expect(cells).toEqual([status, String(counts[status] ?? 0)]);
    }
    expect(Number((await rowCells('#webhooks table.inbox-counts', 'processed'))[1])).toBeGreaterThan(0);
    await expectText('#webhooks .reconciliation', /manual/);
    await sectionShot('webhooks');
    await sectionShot('catalog');
    await sectionShot('offers');
  });

  it('moves focus to a section from the keyboard-reachable section navigation', async () => {
    await page.locator('.skip-link').focus();
    const reached: string[] = [];
    for (let i = 0; i < 5 && !reached.includes('#catalog'); i += 1) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate(() => document.activeElement?.getAttribute('href') ?? ''));
    }
    expect(reached).toContain('#catalog');
    await page.locator('nav.sections a[href="#webhooks"]').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('webhooks');
  });

  it('has no axe-core violations', async () => {
    const violations = await axeViolations(page);
    expect(violations).toEqual([]);
  });

  async function expectText(selector: string, pattern: RegExp): Promise<void> {
    await page.waitForFunction(
      ([s, source]) => new RegExp(source as string).test(document.querySelector(s as string)?.textContent ?? ''),
      [selector, pattern.source],
      { timeout: 15_000 },
    );
  }
});
