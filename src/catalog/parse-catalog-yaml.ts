import { isScalar, parseDocument, visit } from 'yaml';
import type { CatalogProblem } from './catalog-problem';
import { DECIMAL_LITERAL } from './minor-amount.rules';

export type ParsedYaml = { ok: true; raw: unknown } | { ok: false; problems: CatalogProblem[] };

/**
 * YAML text to plain data. A number written with a decimal point (`jpy: 1980.0`,
 * `usd: 19.99`) keeps its source text as a string, so that validation can say
 * "written as a decimal" instead of silently reading 1980.0 as 1980.
 */
export function parseYaml(text: string): ParsedYaml {
  const doc = parseDocument(text, { keepSourceTokens: true, uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: error.linePos ? `(line ${error.linePos[0].line})` : '(file)',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || typeof node.value !== 'number') return;
      const token = node.srcToken as { source?: string } | undefined;
      const source = token?.source?.trim();
      if (source && DECIMAL_LITERAL.test(source)) node.value = source;
    },
  });
  // NOTE: an alias without its anchor (`*x`) or too many aliases throw only here, in toJS (ReferenceError).
  try {
    return { ok: true, raw: doc.toJS({ maxAliasCount: 50 }) };
  } catch (error) {
    return {
      ok: false,
      problems: [{ path: '(file)', message: error instanceof Error ? error.message : String(error) }],
    };
  }
}
