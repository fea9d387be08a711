import { badRequest } from '../errors';
import { issuePath } from './validate';

/** Deeper than any body this API takes (a catalog is about 8 levels); a JSON bomb is thousands. */
export const MAX_JSON_DEPTH = 64;

/**
 * Refuses JSON nested deeper than MAX_JSON_DEPTH before anything recursive (JSON.stringify, zod)
 * walks it: 8,000 levels overflow the stack there. NOTE: iterative, so the check itself cannot.
 */
export function assertJsonDepth(value: unknown, location: string): void {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next || typeof next.value !== 'object' || next.value === null) continue;
    if (next.depth >= MAX_JSON_DEPTH) {
      throw badRequest('too_deeply_nested', `The ${location} is nested more than ${MAX_JSON_DEPTH} levels deep.`);
    }
    for (const child of Object.values(next.value)) stack.push({ value: child, depth: next.depth + 1 });
  }
}

/**
 * Refuses NUL characters in any string or key: PostgreSQL cannot store them in text
 * (22021, invalid byte sequence for encoding "UTF8": 0x00), and no identifier or name needs one.
 * Call after assertJsonDepth.
 */
export function assertNoNul(value: unknown, location: string): void {
  const stack: Array<{ value: unknown; path: PropertyKey[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const next = stack.pop();
    if (!next) break;
    if (typeof next.value === 'string') {
      if (next.value.includes('\u0000')) refuse(location, next.path);
      continue;
    }
    if (typeof next.value !== 'object' || next.value === null) continue;
    for (const [key, child] of Object.entries(next.value)) {
      const path = [...next.path, Array.isArray(next.value) ? Number(key) : key];
      if (key.includes('\u0000')) refuse(location, path);
      stack.push({ value: child, path });
    }
  }
}

function refuse(location: string, path: PropertyKey[]): never {
  const param = issuePath(path);
  throw badRequest(
    'invalid_characters',
    `The ${location}${param ? ` field ${param}` : ''} contains a NUL character, which cannot be stored.`,
    param || undefined,
  );
}
