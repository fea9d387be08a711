import { IntlMessageFormat } from 'intl-messageformat';
import { unprocessable } from '../shared/errors';

/** The prompt copy an operator may word per rule and locale: the lines `offers.<copy>.<variant>.*` hold. */
export const COPY_FIELDS = ['title', 'body', 'cta'] as const;
export type CopyField = (typeof COPY_FIELDS)[number];

/** One locale's operator copy for one rule. */
export type LocaleCopy = Partial<Record<CopyField, string>>;
/** Every locale's operator copy for one rule, by the copy locale (`de`, not `de-AT`). */
export type RuleCopyOverrides = Readonly<Record<string, LocaleCopy>>;

/** The arguments renderPrompt gives every title, body and cta (see render-prompt.ts and prompt-feature-facts.ts). */
export const COPY_ARGUMENTS: ReadonlySet<string> = new Set([
  'target',
  'feature',
  'percent',
  'price',
  'saving',
  'days',
  'benefit',
  'plan',
  'date',
  'feature_code',
  'gate',
  'room',
  'current_limit',
  'target_limit',
]);

interface AstNode {
  type: number;
  value?: unknown;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
}

/** The argument names an ICU message uses, nested select/plural branches included. */
function argumentsOf(nodes: readonly AstNode[], into = new Set<string>()): Set<string> {
  for (const node of nodes) {
    // NOTE: literal (0) and pound (7) carry no argument; every other element names one in `value`.
    if (node.type !== 0 && node.type !== 7 && typeof node.value === 'string') into.add(node.value);
    for (const option of Object.values(node.options ?? {})) argumentsOf(option.value, into);
    if (node.children) argumentsOf(node.children, into);
  }
  return into;
}

/** Why a message cannot be a prompt line, or null: it must compile as ICU and use only the arguments given. */
export function copyMessageProblem(message: string): string | null {
  let ast: AstNode[];
  try {
    ast = new IntlMessageFormat(message, 'en', undefined, { ignoreTag: true }).getAst() as unknown as AstNode[];
  } catch (error) {
    return `is not an ICU message: ${error instanceof Error ? error.message : String(error)}`;
  }
  const unknown = [...argumentsOf(ast)].filter((name) => !COPY_ARGUMENTS.has(name));
  if (unknown.length > 0)
    return `uses ${unknown.map((n) => `{${n}}`).join(', ')}, which the prompt does not provide (it gives ${[...COPY_ARGUMENTS].join(', ')})`;
  return null;
}

/** 422 naming the first bad key as `param`, every problem in `errors`; nothing is saved. */
export function assertCopyValid(copy: LocaleCopy): void {
  const problems = Object.entries(copy).flatMap(([key, message]) => {
    const problem = copyMessageProblem(message ?? '');
    return problem ? [{ param: key, message: `${key} ${problem}` }] : [];
  });
  const first = problems[0];
  if (first) throw unprocessable('offer_copy_invalid', first.message, first.param, { errors: problems });
}
