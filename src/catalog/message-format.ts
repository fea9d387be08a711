import { IntlMessageFormat } from 'intl-messageformat';

/** Values an ICU message may take: text, numbers (plural, select, `number`) and dates (`date`). */
export type MessageValues = Readonly<Record<string, string | number | Date>>;

type Compiled = IntlMessageFormat | { error: string };

/**
 * Compiled ICU messages, kept per locale and template: parsing costs far more than formatting,
 * so each message is compiled once per locale, never per request. Bounded (locales are free text).
 */
const compiled = new Map<string, Compiled>();
const MAX_COMPILED = 20_000;

function compile(template: string, locale: string): Compiled {
  const key = `${locale}\u0000${template}`;
  let found = compiled.get(key);
  if (!found) {
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    try {
      found = new IntlMessageFormat(template, locale, undefined, { ignoreTag: true });
    } catch (error) {
      found = { error: error instanceof Error ? error.message : String(error) };
    }
    compiled.set(key, found);
  }
  return found;
}

/** Why a template is not a valid ICU message, or null when it is (for the catalog's validation). */
export function messageSyntaxProblem(template: string): string | null {
  const result = compile(template, 'en');
  return 'error' in result ? result.error : null;
}

/**
 * An ICU MessageFormat template filled for a locale: plurals, select, and numbers and dates
 * formatted by Intl in that locale's digits. An invalid template (refused at load) is shown as written.
 */
export function formatMessage(template: string, locale: string, values?: MessageValues): string {
  const message = compile(template, locale);
  if ('error' in message) return template;
  const result = message.format(values as Record<string, string | number | Date> | undefined);
  return typeof result === 'string' ? result : String(result);
}
