/** One thing wrong with a catalog, located like `plans[1].prices.month.jpy`. */
export interface CatalogProblem {
  path: string;
  message: string;
}

export function pathOf(segments: ReadonlyArray<PropertyKey>): string {
  return segments.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

export function problemsText(problems: readonly CatalogProblem[]): string {
  return problems.map((p) => `  - ${p.path || '(file)'}: ${p.message}`).join('\n');
}
