import pg from 'pg';
import {
  change,
  mirroredPlan,
  paidAccount,
  quote,
  startBillingHarness,
  stripeWrites,
  type BillingHarness,
} from './support/billing-harness';
import { subscriptionView } from '../../src/billing/subscription-view';

/** Where the harness's subscriptions stand (mid-period); the view needs a now only for trial days. */
const MID_APRIL = new Date(Date.UTC(2026, 3, 16));

/**
 * What a pay-first change writes, statement by statement, on the connection that records it: the
 * mirror, the purchase and the operation's completion commit together, and an operation another
 * worker finished first rolls back all three (#24, fewer round trips without a weaker rule).
 */
let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness();
});
afterAll(async () => h?.close());

interface Seen {
  client: unknown;
  text: string;
}

type Query = (...args: unknown[]) => unknown;
const prototype = pg.Client.prototype as unknown as { query: Query };
const original = prototype.query;
afterEach(() => {
  prototype.query = original;
});

/** Records every statement of the app's pool (and which connection sent it); `before` may act first. */
function recordStatements(before?: (text: string) => Promise<void> | undefined): Seen[] {
  const seen: Seen[] = [];
  prototype.query = function recorded(this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    const text = typeof first === 'string' ? first : (first?.text ?? '');
    seen.push({ client: this, text: text.replace(/\s+/g, ' ').trim() });
    const waitFor = before?.(text);
    if (!waitFor) return original.apply(this, args);
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      waitFor.then(
        () => original.apply(this, args),
        (error: unknown) => (last as (e: unknown) => void)(error),
      );
      return undefined;
    }
    return waitFor.then(() => original.apply(this, args));
  };
  return seen;
}

/** The statement that records a purchase (and completes its operation, purchase.repository.ts). */
const recordsPurchase = (text: string) => text.includes('INSERT INTO purchases');

/** The statements of the connection that recorded the purchase, from its last transaction start. */
function purchaseTransaction(seen: Seen[]): string[] {
  const at = seen.findIndex((s) => recordsPurchase(s.text));
  expect(at).toBeGreaterThan(-1);
  const client = seen[at]?.client;
  const own = seen.filter((s) => s.client === client).map((s) => s.text);
  const purchase = own.findIndex(recordsPurchase);
  const start = own.lastIndexOf('START TRANSACTION', purchase);
  const end = own.indexOf('COMMIT', purchase);
  return own.slice(start, end + 1);
}

const verb = (text: string) => text.split(' ').slice(0, 3).join(' ');

async function quotedUpgrade() {
  const account = await paidAccount(h);
  const quoted = await quote(h, account.auth(), { plan: 'premium' });
  expect(quoted.status).toBe(201);
  return { account, quoted: quoted.body as { id: string; amount_due_now: number } };
}

describe('a pay-first change writes the mirror, the purchase and its completion in one commit', () => {
  it('an upgrade: the mirror row, the purchase and the completed operation in the same transaction', async () => {
    const { account, quoted } = await quotedUpgrade();
    const seen = recordStatements();
    const response = await change(h, account.auth(), quoted.id);
    prototype.query = original;
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'applied', amount_charged: quoted.amount_due_now });
    // the mirror's current row was read with its account, before the transaction (under its lock)
    expect(purchaseTransaction(seen).map(verb)).toEqual([
      'START TRANSACTION',
      'INSERT INTO subscriptions',
      'WITH completed AS',
      'COMMIT',
    ]);
    // the live operation is read with its quote; the catalog version with the claim
    expect(seen.filter((s) => s.text.includes('FROM billing_operations WHERE quote_id'))).toHaveLength(0);
    expect(seen.filter((s) => s.text.startsWith('SELECT version FROM catalog_versions'))).toHaveLength(0);
    const rows: Array<{ state: string; purchases: string }> = await h.db.dataSource.query(
      `SELECT o.state, (SELECT count(*) FROM purchases p WHERE p.operation_id = o.id) AS purchases
         FROM billing_operations o WHERE o.id = $1`,
      [response.body.operation_id],
    );
    expect(rows).toEqual([{ state: 'completed', purchases: '1' }]);
    expect(await mirroredPlan(h, account.accountId)).toEqual({ plan: 'premium', interval: 'month' });
    // the answer's subscription is built from the row the mirror committed, not read again: it is that row
    expect(seen.filter((s) => s.text.includes('ORDER BY (status IN'))).toHaveLength(0);
    expect(response.body.subscription).toEqual(await subscriptionView(h.db.dataSource, account.accountId, MID_APRIL));
  });

  it('an operation finished by another worker meanwhile: no purchase, its result answered, the lane free', async () => {
    const { account, quoted } = await quotedUpgrade();
    await h.emulator.control.clearRequestLog();
    const other = new pg.Client({ connectionString: h.db.url, options: `-c search_path=${h.db.schema}` });
    await other.connect();
    try {
      // NOTE: just before this change records its purchase, "another worker" ends the operation.
      recordStatements((text) =>
        recordsPurchase(text)
          ? other
              .query(
                `UPDATE billing_operations SET state = 'failed', result = '{"status":"expired"}', lease_until = NULL
                  WHERE quote_id = $1`,
                [quoted.id],
              )
              .then(() => undefined)
          : undefined,
      );
      const response = await change(h, account.auth(), quoted.id);
      prototype.query = original;
      expect(response.status).toBe(200);
      expect(response.body.status).toBe('expired');
      const purchases: unknown[] = await h.db.dataSource.query(
        `SELECT p.id FROM purchases p JOIN billing_operations o ON o.id = p.operation_id WHERE o.quote_id = $1`,
        [quoted.id],
      );
      expect(purchases).toEqual([]);
      const lanes: unknown[] = await h.db.dataSource.query('SELECT * FROM billing_lanes WHERE account_id = $1', [
        account.accountId,
      ]);
      expect(lanes).toEqual([]);
      // Stripe was sent the update once; nothing else moved money.
      expect(await stripeWrites(h, (path) => path === `/v1/subscriptions/${account.subscription.id}`)).toHaveLength(1);
    } finally {
      await other.end();
    }
  });

  it('a one-time add-on journals sent once for its run, before its first step: items, invoice and payment', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), { add_ons: [{ code: 'training_agency', quantity: 1 }] });
    expect(quoted.status).toBe(201);
    const seen = recordStatements();
    const response = await change(h, account.auth(), quoted.body.id as string);
    prototype.query = original;
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('applied');
    expect(seen.filter((s) => s.text.startsWith("UPDATE billing_operations SET state = 'sent'"))).toHaveLength(1);
    const rows: Array<{ state: string; attempts: number; stripe_object_id: string }> = await h.db.dataSource.query(
      'SELECT state, attempts, stripe_object_id FROM billing_operations WHERE id = $1',
      [response.body.operation_id],
    );
    expect(rows).toEqual([{ state: 'completed', attempts: 1, stripe_object_id: response.body.invoice }]);
  });
});

/**
 * Round trips per change, the whole request (idempotency key, quote, claim, journal, mirror,
 * purchase, answer): a budget that fails when a regression adds statements back (#24). Lower it
 * when a change needs fewer.
 */
describe('a change makes no more round trips than its budget', () => {
  const withinBudget = (seen: Seen[], budget: number) =>
    seen.length <= budget ? 'within budget' : seen.map((s) => s.text.slice(0, 90));

  it('a pay-first upgrade: 12 statements', async () => {
    const { account, quoted } = await quotedUpgrade();
    const seen = recordStatements();
    const response = await change(h, account.auth(), quoted.id);
    prototype.query = original;
    expect(response.body.status).toBe('applied');
    expect(withinBudget(seen, 12)).toBe('within budget');
  });

  it('a one-time add-on charged now: 8 statements', async () => {
    const account = await paidAccount(h);
    const quoted = await quote(h, account.auth(), { add_ons: [{ code: 'training_agency', quantity: 1 }] });
    const seen = recordStatements();
    const response = await change(h, account.auth(), quoted.body.id as string);
    prototype.query = original;
    expect(response.body.status).toBe('applied');
    expect(withinBudget(seen, 8)).toBe('within budget');
  });
});
