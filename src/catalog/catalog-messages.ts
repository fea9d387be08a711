/**
 * Locale message catalogs: nested YAML trees in catalog/locales/<locale>.yaml,
 * flattened to dotted keys (`plans.pro.name`, `units.seat.other`).
 */
export type Messages = Readonly<Record<string, string>>;
export type MessagesByLocale = Readonly<Record<string, Messages>>;

export const FALLBACK_LOCALE = 'en';
export const SUPPORTED_LOCALES = ['en', 'de', 'es', 'ru', 'uz', 'ja', 'ar'] as const;

/** Flattens a parsed YAML tree; non-string leaves are reported as problems by the caller. */
export function flattenMessages(
  tree: unknown,
  prefix = '',
  into: Record<string, string> = {},
  bad: string[] = [],
): { messages: Record<string, string>; bad: string[] } {
  if (typeof tree === 'string') {
    into[prefix] = tree;
  } else if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
      flattenMessages(value, prefix ? `${prefix}.${key}` : key, into, bad);
    }
  } else {
    bad.push(prefix || '(root)');
  }
  return { messages: into, bad };
}

/** Keys `en` has that `locale` lacks (plural forms beyond `one`/`other` are optional extras, never required). */
export function missingKeys(messages: MessagesByLocale, locale: string): string[] {
  const base = messages[FALLBACK_LOCALE] ?? {};
  const mine = messages[locale] ?? {};
  return Object.keys(base).filter((key) => mine[key] === undefined);
}

/** `de-AT` → `de`, `pt-BR` → `pt` if only pt exists, anything unknown → `en`. Never an error. */
export function resolveLocale(requested: string | undefined | null, available: readonly string[]): string {
  if (!requested) return FALLBACK_LOCALE;
  const normalised = requested.trim().replace(/_/g, '-').toLowerCase();
  const exact = available.find((l) => l.toLowerCase() === normalised);
  if (exact) return exact;
  const language = normalised.split('-')[0] ?? '';
  return available.find((l) => l.toLowerCase() === language) ?? FALLBACK_LOCALE;
}
