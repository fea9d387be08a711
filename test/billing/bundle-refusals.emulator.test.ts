import { loadCatalogSource, readCatalogSource } from '../../src/catalog/load-catalog';
import { DEMO_CATALOG_FILE } from '../catalog/support/demo-catalog';
import { change, paidAccount, quote, startBillingHarness, type BillingHarness } from './support/billing-harness';

/** The demo catalog plus a bundle with two one-time items, so that the second can be refused. */
function catalogWithTwoOneTimeItems() {
  const source = readCatalogSource(DEMO_CATALOG_FILE);
  const bundle = `bundles:
  - code: premium_training_seo
    interval: year
    items:
      - { plan: premium }
      - { add_on: training_agency }
      - { add_on: seo_setup }
    discount: { percent_off: 20, applies_to: [training_agency, seo_setup], duration: once }
    benefits: [team_ready_day_one]
`;
  const words = `bundles:
  premium_training_seo:
    name: Premium with training and SEO
    description: Premium plus agency training and SEO set-up
    benefits:
      team_ready_day_one: A team ready on day one
`;
  const localeTexts = { ...source.localeTexts, en: (source.localeTexts.en ?? '').replace('bundles:\n', words) };
  const loaded = loadCatalogSource({ catalogText: source.catalogText.replace('bundles:\n', bundle), localeTexts });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.problems));
  return loaded.loaded;
}

let h: BillingHarness;
beforeAll(async () => {
  h = await startBillingHarness({ catalog: catalogWithTwoOneTimeItems() });
});
afterAll(async () => h?.close());

async function pendingItems(customer: string) {
  return (await h.stripe.invoiceItems.list({ customer, pending: true, limit: 100 })).data;
}

async function operationState(id: string): Promise<string> {
  const [row] = await h.db.dataSource.query('SELECT state FROM billing_operations WHERE id = $1', [id]);
  return row.state;
}

async function refuseSecondItem(accountAuth: string) {
  const quoted = await quote(h, accountAuth, { bundle: 'premium_training_seo' });
  expect(quoted.status).toBe(201);
  await h.emulator.control.injectFault({
    method: 'POST',
    path: '/v1/invoiceitems',
    kind: 'invalid_request_400',
    skip: 1,
  });
  const changed = await change(h, accountAuth, quoted.body.id);
  expect(changed.status).toBe(502);
  const [operation] = await h.db.dataSource.query(
    "SELECT id FROM billing_operations WHERE quote_id = $1 AND state = 'failed'",
    [quoted.body.id],
  );
  return operation.id as string;
}

describe('a bundle refused part-way leaves nothing for the next renewal to bill', () => {
  it('deletes the items already created when Stripe refuses the second one-time item', async () => {
    const account = await paidAccount(h);

    const operationId = await refuseSecondItem(account.auth());

    expect(await operationState(operationId)).toBe('failed');
    expect(await pendingItems(account.customerId)).toEqual([]);
  });

  it('has the janitor delete them when the immediate clean-up failed', async () => {
    const account = await paidAccount(h);
    await h.emulator.control.injectFault({ method: 'DELETE', path: '/v1/invoiceitems/*', kind: 'api_error_500' });

    const operationId = await refuseSecondItem(account.auth());
    expect((await pendingItems(account.customerId)).map((item) => item.metadata?.tierlift_operation_id)).toEqual([
      operationId,
    ]);

    await h.billing.finishInterruptedOperations();

    expect(await pendingItems(account.customerId)).toEqual([]);
  });
});
