import { z } from 'zod';
import { unprocessable } from '../errors';
import { assertJsonDepth, assertNoNul } from './json-limits';

export type Location = 'body' | 'query' | 'params';

/** `events[3].quantity` style paths, as clients read them. */
export function issuePath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)),
    '',
  );
}

function describe(issue: z.core.$ZodIssue): { param: string; message: string } {
  if (issue.code === 'unrecognized_keys') {
    const base = issuePath(issue.path);
    const key = issue.keys[0] ?? '';
    return { param: base ? `${base}.${key}` : key, message: `Unknown field: ${issue.keys.join(', ')}.` };
  }
  return { param: issuePath(issue.path), message: issue.message };
}

/** Parses input with a (strict) zod schema; every problem is listed, the first one names `param`. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, location: Location): z.infer<S> {
  const where = location === 'body' ? 'body' : location === 'query' ? 'query string' : 'path';
  assertJsonDepth(value, where);
  assertNoNul(value, where);
  const result = schema.safeParse(value ?? (location === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const problems = result.error.issues.map(describe);
  const first = problems[0] ?? { param: '', message: 'Invalid input.' };
  return failValidation(
    `Invalid ${where}: ${first.param ? `${first.param}: ` : ''}${first.message}`,
    first.param,
    problems,
  );
}

function failValidation(message: string, param: string, problems: { param: string; message: string }[]): never {
  throw unprocessable('validation_failed', message, param || undefined, { errors: problems });
}

/** For POSTs that take no body: nothing, or an empty object; anything else is refused, never ignored. */
export const emptyBodySchema = z.strictObject({}).optional();
