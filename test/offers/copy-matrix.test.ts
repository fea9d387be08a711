import { quoteLines } from '../../src/billing/quote-lines';
import { SUPPORTED_LOCALES } from '../../src/catalog/catalog-messages';
import { PromptLocales } from '../../src/offers/prompt-locale';
import { renderPrompt } from '../../src/offers/render-prompt';
import type { PromptView } from '../../src/offers/prompt.view';
import { stringsFor } from '../../src/web/browser/widget/strings';
import { catalog, catalogWords, offerCopy, seededRules, settings } from './support/offer-fixtures';
import { decided, reasonsFor, targetsFor, visibleText } from './support/copy-matrix';

/**
 * Acceptance 3 of issue #22: every offer × locale × trigger, in both tones, for owners and members,
 * rendered as the API renders it, and read for the phrases customers caught and for what betrays
 * untranslated or concatenated copy.
 */
const LOCALES: Array<[tag: string, currency: string]> = [
  ['en-US', 'usd'],
  ['de-DE', 'eur'],
  ['es-ES', 'eur'],
  ['ru-RU', 'usd'],
  ['uz-UZ', 'uzs'],
  ['ja-JP', 'jpy'],
  ['ar-EG', 'usd'],
  ['ar-KW', 'kwd'],
  ['ar-AE', 'usd'],
];
/** Words that stay as written in every language (brands, and Intl's own currency symbols). */
const BRAND_WORDS = /\b(Tierlift|KWD|UZS|SEO|SSO|API)\b|US\$/g;
const ARABIC_INDIC = /[٠-٩]/;
const LATIN_DIGIT = /[0-9]/;

const locales = new PromptLocales(catalogWords, offerCopy);
const copyKeys = [...new Set(Object.keys(offerCopy.en ?? {}).map((key) => key.split('.')[1]))].filter(
  (key): key is string =>
    !!key && key !== undefined && Object.keys(offerCopy.en ?? {}).some((k) => k.startsWith(`offers.${key}.`)),
);
const planOf = (target: { type: string; code: string }) => (target.type === 'plan' ? 'free' : 'pro');

/** Usage and feature-gate copy speak of the feature that triggered them; other copy fits any trigger. */
const fits = (copyKey: string, trigger: string) =>
  /^usage_/.test(copyKey)
    ? trigger === 'usage_threshold'
    : copyKey === 'feature_gate_upgrade'
      ? trigger === 'feature_gate'
      : true;
const metered = new Set(catalog.features.filter((f) => f.type === 'metered').map((f) => f.code));
const numbering = new Map<string, boolean>();
const arabicDigits = (tag: string) => {
  if (!numbering.has(tag)) numbering.set(tag, new Intl.NumberFormat(tag).resolvedOptions().numberingSystem === 'arab');
  return numbering.get(tag)!;
};

type Rendered = { tag: string; tone: string; view: PromptView; english: PromptView; label: string };

function renderAll(): Rendered[] {
  const out: Rendered[] = [];
  const base = settings();
  const tones = { ...base.tone_profiles };
  for (const copyKey of copyKeys)
    for (const reason of reasonsFor(catalog).filter((r) => fits(copyKey, r.trigger)))
      for (const [tag, currency] of LOCALES)
        for (const target of targetsFor(copyKey, catalog, currency))
          for (const tone of ['direct', 'relationship'])
            for (const canPurchase of [true, false]) {
              const offer = { ...decided(copyKey, target, reason, canPurchase), toneProfile: tone };
              const ctx = {
                account: {} as never,
                currentPlan: planOf(target),
                catalog,
                settings: { ...base, tone_profiles: tones },
              };
              out.push({
                tag,
                tone,
                view: renderPrompt(offer, { ...ctx, locale: locales.get(tag) }),
                english: renderPrompt(offer, { ...ctx, locale: locales.get('en-US') }),
                label: `${tag} ${copyKey} ${target.type}:${target.code}/${target.interval} ${reason.trigger}${reason.feature ? `:${reason.feature}` : ''} ${tone}${canPurchase ? '' : ' member'}`,
              });
            }
  return out;
}

/** Each problem as `case field: text` so a failure names exactly what reads wrong. */
function problems(rendered: Rendered[], check: (text: string, r: Rendered, field: string) => boolean): string[] {
  const found: string[] = [];
  for (const r of rendered)
    for (const [field, text] of Object.entries(visibleText(r.view)))
      if (check(text, r, field)) found.push(`${r.label} ${field}: ${text}`);
  return [...new Set(found)].slice(0, 20);
}

describe('offer copy over every offer × locale × trigger', () => {
  const rendered = renderAll();
  const language = (r: Rendered) => r.tag.split('-')[0];

  it('renders a large matrix in every catalog language', () => {
    expect(new Set(rendered.map(language))).toEqual(new Set(SUPPORTED_LOCALES));
    expect(rendered.length).toBeGreaterThan(5000);
  });

  it('never promises "without limits" (every plan sold has limits)', () => {
    const limitless =
      /without limits|ohne grenzen|sin límites|без ограничений|cheklovsiz|制限を気にせず|بلا حدود|دون حدود/i;
    expect(problems(rendered, (text) => limitless.test(text))).toEqual([]);
  });

  it('leads a usage prompt’s body with the usage that triggered it, not with an unrelated benefit', () => {
    const led = rendered.filter((r) => /^(usage_|feature_gate_upgrade)/.test(r.label.split(' ')[1] ?? ''));
    const found = led.filter((r) => {
      const benefit = r.view.copy.benefits[0] ?? '';
      return benefit !== '' && r.view.copy.body.startsWith(benefit);
    });
    expect(led.length).toBeGreaterThan(100);
    expect(found.map((r) => r.label).slice(0, 10)).toEqual([]);
  });

  it('never says a feature is "not part of your current plan" when the plan includes some of it', () => {
    const gated = rendered.filter(
      (r) => r.tag === 'en-US' && r.view.reason.trigger === 'feature_gate' && metered.has(r.view.reason.feature ?? ''),
    );
    const includes = (r: Rendered) => {
      const plan = catalog.plans.find((p) => p.code === planOf({ type: r.view.offer.type, code: r.view.offer.code }));
      const feature = r.view.reason.feature ?? '';
      const limit = plan?.limits[feature];
      return plan?.includes.includes(feature) || limit === 'unlimited' || (typeof limit === 'number' && limit > 0);
    };
    const found = gated.filter((r) => includes(r) && /not part of your current plan/.test(r.view.reason.text));
    expect(found.map((r) => r.label).slice(0, 10)).toEqual([]);
    expect(gated.some((r) => includes(r) && /includes/.test(r.view.reason.text))).toBe(true);
  });

  it('es: feature names mid-sentence in lower case with their article; Intl percent spacing', () => {
    const names = [...metered].map((code) => catalogWords.es?.[`features.${code}`] ?? '');
    expect(
      problems(
        rendered.filter((r) => language(r) === 'es'),
        (text, r, field) =>
          /el 90 % de Llamadas/.test(text) ||
          (['body', 'reason'].includes(field) &&
            r.view.reason.trigger === 'usage_threshold' &&
            names.some((name) => new RegExp(`[a-zñ] ${name}`).test(text))),
      ),
    ).toEqual([]);
  });

  it('uz: one apostrophe pair (ʻ U+02BB, ʼ U+02BC), suffixes joined, Uzbek percent words', () => {
    expect(
      problems(
        rendered.filter((r) => language(r) === 'uz'),
        (text) => /['‘’`]/.test(text) || / ning |% i(ga|dan)\b|\b\d+% /.test(text),
      ),
    ).toEqual([]);
  });

  it('shows no raw codes, unfilled placeholders or ungrouped large numbers', () => {
    const raw =
      /\b[a-z]+_[a-z_]+\b|\b(plan|add_on|addon):[a-z]|\bstorage gb\b|[{}]|\bundefined\b|\bNaN\b|\b\d{5,}\b|[٠-٩]{5,}/;
    expect(problems(rendered, (text) => raw.test(text))).toEqual([]);
  });

  it('never doubles punctuation (ru "2026 г..")', () => {
    const doubled = /(?<!\.)\.\.(?!\.)|\s[.,;:!?](?!\d)|,,|;;|::|。。|،،|\.\s+\.|[.!?]\.$/;
    expect(problems(rendered, (text) => doubled.test(text))).toEqual([]);
  });

  it('uses one digit system per string, the one of the locale (ar-EG Arabic-Indic, ar-AE Latin)', () => {
    expect(
      problems(rendered, (text, r) => {
        return arabicDigits(r.tag) ? LATIN_DIGIT.test(text) : ARABIC_INDIC.test(text);
      }),
    ).toEqual([]);
  });

  it('ar: Arabic script, and no Latin letters beyond brand words and currency symbols', () => {
    const arabic = rendered.filter((r) => language(r) === 'ar');
    expect(problems(arabic, (text) => /[A-Za-z]/.test(text.replace(BRAND_WORDS, '')))).toEqual([]);
    expect(problems(arabic, (text) => !/[\u0600-\u06FF]/.test(text) && /\p{L}/u.test(text))).toEqual([]);
  });

  it('translates every message: nothing in another language reads as the English one', () => {
    const untranslated = problems(
      rendered.filter((r) => language(r) !== 'en'),
      (text, r, field) => {
        const english = visibleText(r.english)[field];
        return (
          text === english && /\p{L}{2,}/u.test(text.replace(BRAND_WORDS, '').replace(/\b(Pro|Premium|Free)\b/g, ''))
        );
      },
    );
    expect(untranslated).toEqual([]);
  });

  it('says what was bought after an add-on, never "your plan has changed"', () => {
    for (const tag of LOCALES.map(([t]) => t)) {
      const words = stringsFor(tag);
      expect(words.purchased('X')).not.toBe(words.applied);
      expect(words.purchased('X')).toContain('X');
    }
  });

  it('puts no "(until …)" on a one-time item of a quote', () => {
    const at = Date.UTC(2026, 11, 7) / 1000;
    const [oneTime, recurring] = quoteLines(
      [
        {
          amount: 29900,
          quantity: 1,
          proration: false,
          stripeDescription: 'x',
          period: { start: at, end: at },
          item: { kind: 'add_on', code: 'training_agency' },
        },
        {
          amount: 1900,
          quantity: 1,
          proration: false,
          stripeDescription: 'x',
          period: { start: at, end: at + 30 * 86400 },
          item: { kind: 'plan', code: 'pro' },
        },
      ],
      { currency: 'usd', locale: 'en-US', itemName: (item) => item.code },
    );
    expect(oneTime?.description).toBe('training_agency');
    expect(recurring?.description).toMatch(/\(until /);
  });

  it('the seeded rules only name copy keys this matrix covered', () => {
    for (const r of seededRules().rules) expect(copyKeys).toContain(r.copy);
  });
});
