import type { Browser, Page } from 'playwright-core';
import {
  axeViolations,
  launchBrowser,
  screenshot,
  startLocalService,
  type LocalService,
} from './support/browser-harness';

/**
 * Acceptance 2 and the widget half of acceptance 4, in Chromium on the demo page: a member is
 * sent to the admin, never to a purchase; the widget works with the keyboard alone and axe-core
 * finds nothing in it or its dialog; a dismissal silences the prompt, also after a reload.
 */
describe('prompt widget guardrails', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${local.url}/demo`);
    await page.waitForSelector('body[data-ready="true"]');
    // 900 of 1,000 API calls: the "approaching your limit" upgrade prompt.
    for (let click = 0; click < 3; click += 1) {
      await page.click('button[data-feature="api_calls"]');
      await page.waitForSelector(`#meter-api_calls[value="${(click + 1) * 300}"]`);
    }
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  const widget = (selector: string) => page.locator(`tierlift-prompt ${selector}`);
  const prompts = async (token: string) => {
    const response = await fetch(`${local.url}/v1/prompts?placement=dashboard`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    return ((await response.json()) as { data: Array<{ id: string; actions: Array<{ type: string }> }> }).data;
  };
  const switchTo = async (role: 'owner' | 'member') => {
    await page.selectOption('#persona-role', role);
    await page.click('#persona button[type="submit"]');
    await page.waitForSelector(`body[data-role="${role}"]`);
    // The widget re-fetches for the new person: a member's prompt asks the admin, an owner's sells.
    const action = role === 'member' ? 'ask-admin' : 'purchase';
    await page.waitForSelector(`tierlift-prompt article button[data-action="${action}"]`);
  };
  /** What has focus, looking through the widget's shadow root. */
  const focused = () =>
    page.evaluate(() => {
      const host = document.activeElement;
      const inner = host?.shadowRoot?.activeElement ?? null;
      const element = inner ?? host;
      return {
        inWidget: host?.tagName === 'TIERLIFT-PROMPT',
        action: element?.getAttribute('data-action') ?? null,
        tag: element?.tagName ?? null,
      };
    });
  const dialogOpen = () =>
    page.evaluate(() => !!document.querySelector('tierlift-prompt')?.shadowRoot?.querySelector('dialog[open]'));

  it('shows a member "ask your admin" and no purchase button', async () => {
    await switchTo('member');
    const prompt = widget('article').first();
    await expect(prompt.locator('button[data-action="purchase"]').count()).resolves.toBe(0);
    await expect(prompt.locator('button[data-action="ask-admin"]').count()).resolves.toBe(1);
    await expect(prompt.locator('[data-ask-admin-note]').textContent()).resolves.toMatch(/admin/i);
    await prompt.locator('button[data-action="ask-admin"]').click();
    await expect(widget('[data-status]').textContent()).resolves.toMatch(/admin/i);
    // The comparison is open to members too, without a way to buy from it.
    await prompt.locator('button[data-action="compare"]').click();
    await page.waitForSelector('tierlift-prompt dialog[open] table[data-comparison]');
    await expect(widget('dialog button[data-action="choose-plan"]').count()).resolves.toBe(0);
    await screenshot(page, 'widget-member-ask-admin');
    await page.keyboard.press('Escape');
    const member = await page.evaluate(() => fetch('/demo/api/session?role=member').then((r) => r.json()));
    const seen = await prompts((member as { token: string }).token);
    expect(seen[0]?.actions.map((a) => a.type)).toContain('ask_admin');
    expect(seen[0]?.actions.map((a) => a.type)).not.toContain('purchase');
  });

  it('works with the keyboard alone and passes axe-core, dialog included', async () => {
    await switchTo('owner');
    expect(await axeViolations(page, 'tierlift-prompt')).toEqual([]);

    // Tab from the top of the page into the widget, to "Compare plans".
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    let position = await focused();
    for (let presses = 0; presses < 40 && position.action !== 'compare'; presses += 1) {
      await page.keyboard.press('Tab');
      position = await focused();
    }
    expect(position).toMatchObject({ inWidget: true, action: 'compare', tag: 'BUTTON' });

    // Enter opens the comparison dialog and moves focus into it; Escape closes it and focus comes back.
    await page.keyboard.press('Enter');
    await page.waitForSelector('tierlift-prompt dialog[open] table[data-comparison]');
    expect((await focused()).inWidget).toBe(true);
    expect((await focused()).action).toBe('choose-plan');
    expect(await axeViolations(page, 'tierlift-prompt')).toEqual([]);
    await screenshot(page, 'widget-keyboard-comparison');
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      () => !document.querySelector('tierlift-prompt')?.shadowRoot?.querySelector('dialog[open]'),
    );
    expect(await focused()).toMatchObject({ inWidget: true, action: 'compare' });

    // Shift+Tab back to the purchase button; Space opens the quote with its exact amount.
    await page.keyboard.press('Shift+Tab');
    expect((await focused()).action).toBe('purchase');
    await page.keyboard.press('Space');
    await page.waitForSelector('tierlift-prompt [data-amount-due-now]');
    expect((await focused()).action).toBe('confirm');
    expect(await axeViolations(page, 'tierlift-prompt')).toEqual([]);
    await screenshot(page, 'widget-keyboard-quote');
    // Tab stays in the dialog; Escape closes it without buying, focus back on the purchase button.
    await page.keyboard.press('Tab');
    expect((await focused()).action).toBe('cancel');
    await page.keyboard.press('Escape');
    await page.waitForFunction(
      () => !document.querySelector('tierlift-prompt')?.shadowRoot?.querySelector('dialog[open]'),
    );
    expect(await dialogOpen()).toBe(false);
    expect((await focused()).action).toBe('purchase');
    const account = await fetch(`${local.url}/v1/account`, {
      headers: { Authorization: `Bearer ${local.ownerToken}` },
    });
    expect(((await account.json()) as { subscription: unknown }).subscription).toBeNull();
  });

  it('silences a dismissed prompt, and it stays gone after a reload (cool-down)', async () => {
    const before = await prompts(local.ownerToken);
    const dismissedId = await widget('article').first().getAttribute('data-prompt-id');
    expect(before.map((p) => p.id)).toContain(dismissedId);

    // Keyboard again: the decline is a real button.
    await widget(`article[data-prompt-id="${dismissedId}"] button[data-action="dismiss"]`).focus();
    await page.keyboard.press('Enter');
    await page.waitForSelector(`tierlift-prompt article[data-prompt-id="${dismissedId}"]`, { state: 'detached' });
    await expect(widget('[data-status]').textContent()).resolves.not.toBe('');
    await screenshot(page, 'widget-dismissed');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.waitForSelector('tierlift-prompt[data-state]');
    expect(await widget(`article[data-prompt-id="${dismissedId}"]`).count()).toBe(0);
    expect((await prompts(local.ownerToken)).map((p) => p.id)).not.toContain(dismissedId);
    await screenshot(page, 'widget-dismissed-after-reload');
  });
});
