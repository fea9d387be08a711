import { IntlMessageFormat } from 'intl-messageformat';
import { FALLBACK_LOCALE, type MessagesByLocale } from '../catalog/catalog-messages';
import { formatMessage, type MessageValues } from '../catalog/message-format';
import type { Translator } from '../catalog/translator';

type Fill = (vars?: MessageValues) => string;

/** Keys kept per locale before starting over: keys come from code and the catalog, but stay bounded. */
const MAX_KEYS = 5_000;

/**
 * A translator whose messages are compiled once per locale into fill functions: a message of text,
 * plain `{name}` arguments and selects becomes a join of its pieces; any other (plural, number,
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

type Piece = string | { name: string } | { select: string; options: Map<string, Piece[]> };

/** ICU's elements as pieces, or null when one needs ICU itself (plural, number, date, `#`, tags). */
function piecesOf(ast: ReturnType<IntlMessageFormat['getAst']>): Piece[] | null {
  const pieces: Piece[] = [];
  for (const element of ast) {
    // NOTE: type 0 is literal text (quotes already undone), 1 a plain `{name}` argument, 5 a select.
    if (element.type === 0) pieces.push(element.value);
    else if (element.type === 1) pieces.push({ name: element.value });
    else if (element.type === 5) {
      const options = new Map<string, Piece[]>();
      for (const [option, { value }] of Object.entries(element.options)) {
        const inner = piecesOf(value);
        if (!inner) return null;
        options.set(option, inner);
      }
      pieces.push({ select: element.value, options });
    } else return null;
  }
  return pieces;
}

/** The pieces filled, or null where ICU must answer (a value neither text nor number, a select without its option). */
function fillPieces(pieces: readonly Piece[], vars: MessageValues | undefined): string | null {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    const value = 'name' in piece ? vars?.[piece.name] : vars?.[piece.select];
    if ('name' in piece) {
      if (typeof value === 'string') out += value;
      else if (typeof value === 'number') out += String(value);
      else return null;
      continue;
    }
    if (typeof value !== 'string') return null;
    const chosen = piece.options.get(value) ?? piece.options.get('other');
    const inner = chosen && fillPieces(chosen, vars);
    if (inner === undefined || inner === null) return null;
    out += inner;
  }
  return out;
}

function compileFill(template: string | undefined, key: string, locale: string): Fill {
  if (template === undefined) return () => key;
  const icu: Fill = (vars) => formatMessage(template, locale, vars);
  let pieces: Piece[] | null;
  try {
    pieces = piecesOf(new IntlMessageFormat(template, locale, undefined, { ignoreTag: true }).getAst());
  } catch {
    return icu; // shown as written, as formatMessage does
  }
  if (!pieces) return icu;
  if (pieces.every((p) => typeof p === 'string')) {
    const text = pieces.join('');
    return () => text;
  }
  const filled = pieces;
  return (vars) => fillPieces(filled, vars) ?? icu(vars);
}
