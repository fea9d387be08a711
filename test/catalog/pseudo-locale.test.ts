import { printAST } from '@formatjs/icu-messageformat-parser/printer';
import { IntlMessageFormat } from 'intl-messageformat';
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { MessagesByLocale } from '../../src/catalog/catalog-messages';
import { buildComparisonTable } from '../../src/catalog/comparison-table';
import { PromptLocales } from '../../src/offers/prompt-locale';
import { renderPrompt } from '../../src/offers/render-prompt';
import { catalog, catalogWords, offerCopy, settings } from '../offers/support/offer-fixtures';
import { decided, reasonsFor, targetsFor, visibleText } from '../offers/support/copy-matrix';

/**
 * Acceptance 3 of issue #22 (pseudo-locale): every catalog and offer message is rewritten into
 * `en-XA`, each literal accented and the whole message wrapped in ⟦ ⟧. Whatever a person would read
 * must then be one wrapped message: plain ASCII words betray hard-coded English, and `⟧ ⟦` at the
 * top level betrays sentences glued together in code instead of by a translatable message.
 */
const PSEUDO = 'en-XA';
const ACCENTS: Record<string, string> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [
    c,
    [...'åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]!,
  ]),
);
const accent = (text: string) => text.replace(/[A-Za-z]/g, (c) => ACCENTS[c] ?? c);

function pseudoElements(elements: MessageFormatElement[]): MessageFormatElement[] {
  return elements.map((element) => {
    if (element.type === 0) return { ...element, value: accent(element.value) };
    if ('options' in element)
      return {
        ...element,
        options: Object.fromEntries(
          Object.entries(element.options).map(([key, option]) => [
            key,
            { ...option, value: pseudoElements(option.value) },
          ]),
        ),
      } as MessageFormatElement;
    return element;
  });
}

function pseudoMessages(messages: MessagesByLocale): MessagesByLocale {
  const english = messages.en ?? {};
  const pseudo = Object.fromEntries(
    Object.entries(english).map(([key, text]) => {
      const ast = new IntlMessageFormat(text, 'en', undefined, { ignoreTag: true }).getAst();
      return [key, `⟦${printAST(pseudoElements(ast))}⟧`];
    }),
  );
  return { ...messages, [PSEUDO]: pseudo };
}

/** The text a person reads, with what is not words taken out (numbers, money, brand words). */
const plainEnglish = (text: string) =>
  text
    .replace(/\$|US\$|€|¥|£/g, '')
    .replace(/\b(Tierlift)\b/g, '')
    // Dates are Intl's own words (a pseudo-locale formats like English): not our text.
    .replace(/\b(January|February|March|April|May|June|July|August|September|October|November|December)\b/g, '')
    .match(/\b[A-Za-z]{2,}\b/g) ?? [];
/** A top-level `⟧ … ⟦`: two messages glued by code. Nested messages (arguments) stay inside one pair. */
function gluedInCode(text: string): boolean {
  let depth = 0;
  let topLevel = 0;
  for (const char of text) {
    if (char === '⟦') {
      if (depth === 0) topLevel += 1;
      depth += 1;
    } else if (char === '⟧') depth -= 1;
    else if (depth === 0 && char.trim() !== '' && char !== '\u200f') return true;
  }
  return depth !== 0 || topLevel > 1;
}

describe(`the pseudo-locale ${PSEUDO}: every visible string is a translated message`, () => {
  const words = pseudoMessages(catalogWords);
  const copy = pseudoMessages(offerCopy);

  it('rewrites every message, ICU arguments kept', () => {
    expect(Object.keys(words[PSEUDO] ?? {}).length).toBe(Object.keys(catalogWords.en ?? {}).length);
    expect(words[PSEUDO]?.['units.project.other']).toBe('⟦þŕöĵéçţš⟧');
    expect(copy[PSEUDO]?.['reason.days_after_signup']).toContain('{days,plural,one{# đåý} other{# đåýš}}');
  });

  it('a prompt shows nothing that did not come from a message', () => {
    const locales = new PromptLocales(words, copy);
    const problems: string[] = [];
    const base = settings();
    const copyKeys = [
      ...new Set(
        Object.keys(offerCopy.en ?? {})
          .filter((k) => k.startsWith('offers.'))
          .map((k) => k.split('.')[1]!),
      ),
    ];
    for (const copyKey of copyKeys)
      for (const reason of reasonsFor(catalog))
        for (const target of targetsFor(copyKey, catalog, 'usd'))
          for (const canPurchase of [true, false]) {
            const offer = {
              ...decided(copyKey, target, reason, canPurchase),
              rule: { ...decided(copyKey, target, reason, canPurchase).rule, offer: { type: 'recommended_add_on' } },
            } as never;
            const view = renderPrompt(offer, {
              account: {} as never,
              currentPlan: target.type === 'plan' ? 'free' : 'pro',
              catalog,
              settings: base,
              locale: locales.get(PSEUDO),
            });
            for (const [field, text] of Object.entries(visibleText(view))) {
              if (plainEnglish(text).length > 0 || gluedInCode(text))
                problems.push(`${copyKey} ${reason.trigger} ${field}: ${text}`);
            }
          }
    expect([...new Set(problems)].slice(0, 20)).toEqual([]);
  });

  it('the comparison table shows nothing that did not come from a message', () => {
    const problems: string[] = [];
    for (const interval of ['month', 'year'] as const) {
      const table = buildComparisonTable({
        catalog,
        messages: words,
        priceList: catalog.price_lists[0]!,
        locale: PSEUDO,
        interval,
        currentPlan: 'free',
      });
      const strings: string[] = [];
      const collect = (value: unknown, key: string): void => {
        if (typeof value === 'string') {
          if (['words', 'name', 'tagline', 'description', 'formatted'].includes(key) || key === 'item')
            strings.push(value);
        } else if (Array.isArray(value))
          value.forEach((v) => collect(v, key === 'benefits' || key === 'social_proof' ? 'item' : key));
        else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) collect(v, k);
      };
      collect(table, '');
      expect(strings.length).toBeGreaterThan(30);
      for (const text of strings) if (plainEnglish(text).length > 0) problems.push(`${interval}: ${text}`);
      for (const text of strings.filter((s) => s.includes('⟦')))
        if (gluedInCode(text)) problems.push(`${interval} glued: ${text}`);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('catches a hard-coded string and a glued sentence (the check can fail)', () => {
    expect(plainEnglish('⟦Ŝåṽé⟧ Save now').length).toBeGreaterThan(0);
    expect(gluedInCode('⟦ŷöû åŕé ŝééîñĝ⟧ ⟦ţéåɱš⟧')).toBe(true);
    expect(gluedInCode('⟦ţéåɱš ⟦ñéšţéđ⟧ åŕé öķ⟧')).toBe(false);
  });
});
