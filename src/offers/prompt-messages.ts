import { IntlMessageFormat } from 'intl-messageformat';
import { FALLBACK_LOCALE, type MessagesByLocale } from '../catalog/catalog-messages';
import { formatMessage, type MessageValues } from '../catalog/message-format';
import type { Translator } from '../catalog/translator';

type Fill = (vars?: MessageValues) => string;

/** Keys kept per locale before starting over: keys come from code and the catalog, but stay bounded. */
const MAX_KEYS = 5_000;

/**
 * A translator whose messages are compiled once per locale into fill functions: text, plain
 * `{name}` arguments and selects are joined; numbers and plurals of a number alone are formatted by
 * ICU once per value and kept; anything else (dates, tags) keeps ICU for the whole message. The
 * result is ICU's, character for character: a plain argument is the string given, or `String(n)`
 * for a number (ICU does not format plain arguments); a value of another kind, or missing, takes
 * ICU's own path, errors included.
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

type Ast = ReturnType<IntlMessageFormat['getAst']>;
type Piece =
  | string
  | { name: string }
  | { select: string; options: Map<string, Piece[]> }
  | { number: string; format: (value: number) => string };

/** Numbers formatted kept per element: percents and day counts repeat across requests. */
const MAX_NUMBERS = 500;

/**
 * ICU's elements as pieces, or null when one needs ICU for the whole message (dates, tags, a plural
 * whose options hold more than text and `#`). NOTE: types are ICU's: 0 text (quotes already undone),
 * 1 a plain `{name}`, 2 a number, 5 a select, 6 a plural, 7 a plural's `#`.
 */
function piecesOf(ast: Ast, locale: string): Piece[] | null {
  const pieces: Piece[] = [];
  for (const element of ast) {
    if (element.type === 0) pieces.push(element.value);
    else if (element.type === 1) pieces.push({ name: element.value });
    else if (element.type === 5) {
      const options = new Map<string, Piece[]>();
      for (const [option, { value }] of Object.entries(element.options)) {
        const inner = piecesOf(value, locale);
        if (!inner) return null;
        options.set(option, inner);
      }
      pieces.push({ select: element.value, options });
    } else if (element.type === 2 || (element.type === 6 && pluralOfNumberOnly(element.options))) {
      // A number, or a plural that depends on its number alone: ICU formats the element, once per value.
      const alone = new IntlMessageFormat([element], locale, undefined, { ignoreTag: true });
      const name = element.value;
      const answers = new Map<number, string>();
      const format = (value: number) => {
        // NOTE: a map does not tell -0 from 0, which ICU may write as "-0".
        if (Object.is(value, -0)) return String(alone.format({ [name]: value }));
        let answer = answers.get(value);
        if (answer === undefined) {
          if (answers.size >= MAX_NUMBERS) answers.clear();
          answer = String(alone.format({ [name]: value }));
          answers.set(value, answer);
        }
        return answer;
      };
      pieces.push({ number: name, format });
    } else return null;
  }
  return pieces;
}

function pluralOfNumberOnly(options: Record<string, { value: Ast }>): boolean {
  return Object.values(options).every(({ value }) => value.every((e) => e.type === 0 || e.type === 7));
}

/** The pieces filled, or null where ICU must answer (a value neither text nor number, a select without its option). */
function fillPieces(pieces: readonly Piece[], vars: MessageValues | undefined): string | null {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') {
      out += piece;
      continue;
    }
    if ('number' in piece) {
      const value = vars?.[piece.number];
      if (typeof value !== 'number') return null;
      out += piece.format(value);
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
    pieces = piecesOf(new IntlMessageFormat(template, locale, undefined, { ignoreTag: true }).getAst(), locale);
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
