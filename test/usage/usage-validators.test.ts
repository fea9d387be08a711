import fc from 'fast-check';
import { usageEventSchema, wellFormedEvent } from '../../src/usage/usage.validators';

const valid = {
  id: 'evt_1',
  account_id: 'acct_1',
  feature: 'api_calls',
  quantity: 3,
  action: 'increment',
  timestamp: '2026-11-22T07:00:00.000Z',
};

const anyValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary-ascii', maxLength: 140 }),
  fc.integer(),
  fc.double(),
  fc.constantFrom(
    null,
    undefined,
    true,
    [],
    {},
    2 ** 53,
    -1,
    1.5,
    'set',
    'increment',
    'acct:1.a-b_c',
    '2026-02-30T00:00:00Z',
    '2026-02-28T10:00:00+02:00',
    '2026-02-28T10:00:00',
    '2026-02-28 10:00:00Z',
    'x'.repeat(129),
    'Api_calls',
  ),
);

describe('wellFormedEvent', () => {
  it('refuses an empty timestamp as the first one it ever sees (its memory of the last valid one starts empty)', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const fresh = require('../../src/usage/usage.validators') as { wellFormedEvent: typeof wellFormedEvent };
      expect(fresh.wellFormedEvent({ ...valid, timestamp: '' })).toBeNull();
      expect(fresh.wellFormedEvent(valid)).not.toBeNull();
      expect(fresh.wellFormedEvent({ ...valid, timestamp: '' })).toBeNull();
    });
  });

  it('accepts exactly what usageEventSchema accepts', () => {
    fc.assert(
      fc.property(
        fc.record({ field: fc.constantFrom(...Object.keys(valid), 'extra'), value: anyValue, drop: fc.boolean() }),
        ({ field, value, drop }) => {
          const candidate: Record<string, unknown> = { ...valid };
          if (drop) delete candidate[field];
          else candidate[field] = value;
          expect(wellFormedEvent(candidate) !== null).toBe(usageEventSchema.safeParse(candidate).success);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('refuses non-objects and returns the very object it checked', () => {
    for (const raw of [null, 'x', 3, [valid]]) expect(wellFormedEvent(raw)).toBeNull();
    const event = { ...valid };
    expect(wellFormedEvent(event)).toBe(event);
  });
});
