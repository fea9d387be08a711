import { IntlMessageFormat } from 'intl-messageformat';
import { FALLBACK_LOCALE, type MessagesByLocale } from '../catalog/catalog-messages';
import { formatMessage, type MessageValues } from '../catalog/message-format';
import type { Translator } from '../catalog/translator';

type Fill = (vars?: MessageValues) => string;

/** Keys kept per locale before starting over: keys come from code and the catalog, but stay bounded. */
const MAX_KEYS = 5_000;

/**
 * A translator whose messages are compiled once per locale into fill functions: a message of text
 * and plain `{name}` arguments becomes a join of its pieces; any other (plural, select, number,
 * date) keeps ICU's formatter. The result is ICU's, character for character: a plain argument
 * is the string given, or `String(n)` for a number (ICU does not format plain arguments); anything
 * else (a missing value, a date) takes ICU's own path, errors included.
 * NOTE: a first view renders 30–50 messages; looking each up by its full text and walking ICU's
 * parts for plain text was most of its rendering time.
 */
export function compiledTranslator(base: Translator, messages: MessagesByLocale): Translator {
  const own = messages[base.locale] ?? {};
  const fallback = messages[FALLBACK_LOCALE] ?? {};
  const fills = new Map<string, Fill>();
  const fillFor = (key: string): Fill => {
    let fill = fills.get(key);
    if (!fill) {
      if (fills.size >= MAX_KEYS) fills.clear();
      fill = compileFill(own[key] ?? fallback[key], key, base.formatLocale);
      fills.set(key, fill);
    }
    return fill;
  };
  return { ...base, t: (key, vars) => fillFor(key)(vars) };
}

function compileFill(template: string | undefined, key: string, locale: string): Fill {
  if (template === undefined) return () => key;
  const icu: Fill = (vars) => formatMessage(template, locale, vars);
  let pieces: Array<string | { name: string }>;
  try {
    const ast = new IntlMessageFormat(template, locale, undefined, { ignoreTag: true }).getAst();
    pieces = [];
    for (const element of ast) {
      // NOTE: type 0 is literal text (quotes already undone), type 1 a plain `{name}` argument.
      if (element.type === 0) pieces.push(element.value);
      else if (element.type === 1) pieces.push({ name: element.value });
      else return icu;
    }
  } catch {
    return icu; // shown as written, as formatMessage does
  }
  if (pieces.every((p) => typeof p === 'string')) {
    const text = pieces.join('');
    return () => text;
  }
  return (vars) => {
    let out = '';
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        out += piece;
        continue;
      }
      const value = vars?.[piece.name];
      if (typeof value === 'string') out += value;
      else if (typeof value === 'number') out += String(value);
      else return icu(vars);
    }
    return out;
  };
}
