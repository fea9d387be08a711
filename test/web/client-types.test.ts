import type { z } from 'zod';
import type { accountSchema } from '../../src/accounts/accounts.openapi';
import type { changeSchema, quoteSchema } from '../../src/billing/billing.openapi';
import type { comparisonTableSchema } from '../../src/catalog/catalog.openapi';
import type { refundSchema } from '../../src/guarantees/guarantees.openapi';
import type { promptSchema } from '../../src/offers/offers.openapi';
import type { entitlementCheckSchema, entitlementSchema } from '../../src/usage/usage.openapi';
import type {
  AccountView,
  Change,
  ComparisonTable,
  Entitlement,
  EntitlementCheck,
  Prompt,
  Quote,
  RefundClaim,
} from '../../src/web/browser/client/tierlift-client';

/**
 * The typed client's shapes against the API's documented answers: the OpenAPI response schemas,
 * which the contract test holds to what the routes really send. Every documented answer must be
 * a value of the client's type; when a view changes, this file stops compiling (npm run typecheck,
 * and ts-jest here), so the client cannot drift from the server unnoticed.
 */
type Answer<S extends z.ZodType> = z.output<S>;

// Each reader compiles only while the documented answer is a value of the client's type.
const readers = {
  account: (answer: Answer<typeof accountSchema>): AccountView => answer,
  comparison: (answer: Answer<typeof comparisonTableSchema>): ComparisonTable => answer,
  entitlement: (answer: Answer<typeof entitlementSchema>): Entitlement => answer,
  entitlementCheck: (answer: Answer<typeof entitlementCheckSchema>): EntitlementCheck => answer,
  prompt: (answer: Answer<typeof promptSchema>): Prompt => answer,
  quote: (answer: Answer<typeof quoteSchema>): Quote => answer,
  change: (answer: Answer<typeof changeSchema>): Change => answer,
  refund: (answer: Answer<typeof refundSchema>): RefundClaim => answer,
};

describe('typed client', () => {
  it('reads every documented answer of the end-user API with its own types (a type error fails this file)', () => {
    expect(Object.keys(readers)).toHaveLength(8);
  });
});
