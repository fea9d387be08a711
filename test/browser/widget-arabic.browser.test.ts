import type { Browser, Page } from 'playwright-core';
import { launchBrowser, screenshot, startLocalService, type LocalService } from './support/browser-harness';

/**
 * Acceptance 2 of issue #22 (prompt and quote): a widget with `locale="ar-EG"` reads right to
 * left, in Arabic, with one digit system (Arabic-Indic, Intl's numbering for ar-EG) in every
 * string, and no Latin letters in the copy beyond brand words and Intl's currency symbol.
 */
describe('the prompt widget in Arabic (ar-EG)', () => {
  let local: LocalService;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [local, browser] = await Promise.all([startLocalService(), launchBrowser()]);
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await local?.stop();
  });

  /** What a person reads in the widget (and its dialog), through the shadow root. */
  const visibleText = () =>
    page.evaluate(() => {
      const host = document.querySelector('tierlift-prompt');
      const root = host?.shadowRoot;
      if (!root) return '';
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      const parts: string[] = [];
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement;
        if (!element || element.closest('style') || element.closest('[hidden]')) continue;
        if (element.getClientRects().length === 0) continue;
        if ((node.textContent ?? '').trim()) parts.push(node.textContent!.trim());
      }
      return parts.join('\n');
    });
  /** Brand words and Intl's own currency symbol are written as they are in every language. */
  const withoutBrands = (text: string) => text.replace(/\b(Tierlift)\b|US\$/g, '');

  const expectArabicCopy = (text: string) => {
    expect(text).toMatch(/[\u0600-\u06FF]{3}/);
    expect(withoutBrands(text).match(/[A-Za-z]+/g) ?? []).toEqual([]);
    // One digit system: Arabic-Indic only (Intl's default numbering for ar-EG).
    expect(text).toMatch(/[٠-٩]/);
    expect(text.match(/[0-9]+/g) ?? []).toEqual([]);
  };

  it('shows the upgrade prompt right to left in Arabic with Arabic-Indic digits only', async () => {
    await page.goto(`${local.url}/demo`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.selectOption('#persona-locale', 'ar-EG');
    await page.click('#persona button[type="submit"]');
    await page.waitForSelector('text=Signed in as the owner, in ar-EG.');
    await page.evaluate(() => document.querySelector('tierlift-prompt')?.setAttribute('locale', 'ar-EG'));
    for (let click = 0; click < 3; click += 1) {
      await page.click('button[data-feature="api_calls"]');
      await page.waitForSelector(`#meter-api_calls[value="${(click + 1) * 300}"]`);
    }
    await page.waitForSelector('tierlift-prompt[data-state="shown"]');
    const prompt = page.locator('tierlift-prompt article').first();
    await expect(prompt.getAttribute('data-offer')).resolves.toBe('pro');
    const root = page.locator('tierlift-prompt [dir]').first();
    await expect(root.getAttribute('dir')).resolves.toBe('rtl');
    await expect(root.getAttribute('lang')).resolves.toBe('ar-EG');
    const text = await visibleText();
    expectArabicCopy(text);
    // The usage that triggered it leads, in Intl's Arabic percent (٩٠٪).
    await expect(prompt.textContent()).resolves.toContain('٩٠٪');
    await screenshot(page, 'widget-arabic-prompt');
  });

  it('shows the quote right to left in Arabic, the amount due in Arabic-Indic digits', async () => {
    await page.locator('tierlift-prompt article button[data-action="purchase"]').first().click();
    await page.waitForSelector('tierlift-prompt [data-amount-due-now]');
    const dialog = page.locator('tierlift-prompt dialog[open]');
    await expect(dialog.getAttribute('dir')).resolves.toBe('rtl');
    const amount = (await page.locator('tierlift-prompt [data-amount-due-now]').textContent()) ?? '';
    expect(amount).toMatch(/^[^0-9]*[٠-٩][٠-٩٫٬]*[^0-9]*$/);
    expectArabicCopy(await visibleText());
    await screenshot(page, 'widget-arabic-quote');
  });
});
