import { measureConformance } from './conformance/conformance-report';
import { ShapeChecker } from './conformance/shape-checker';
import { loadStripeSchema, type StripeSchema } from './conformance/stripe-operations';
import { runConformance } from './conformance/run-conformance';

// Shapes follow the stripe SDK's types, generated from Stripe's OpenAPI document for 2026-10-28.endive
// (docs.stripe.com/api: each object's attributes; docs.stripe.com/api/expanding_objects: includable fields).
let schema: StripeSchema;
beforeAll(() => {
  schema = loadStripeSchema();
});

describe('the conformance checker', () => {
  it('finds a missing required field, a wrong enum value (even where the SDK widens it) and an unknown parameter', () => {
    const invoiceOperation = schema.operationFor('GET', '/v1/invoices/in_1');
    const figures = measureConformance(schema, [
      {
        method: 'GET',
        path: '/v1/invoices/in_1',
        params: {},
        status: 200,
        body: { id: 'in_1', object: 'invoice', status: 'bogus' },
      },
      {
        method: 'POST',
        path: '/v1/subscriptions',
        params: { customer: 'cus_1', colour: 'red' },
        status: 400,
        body: {},
      },
    ]);
    expect(invoiceOperation?.name).toBe('invoices.retrieve');
    expect(figures.missingRequired.map((entry) => entry.path)).toContain('invoice.issuer');
    expect(figures.wrongTypes).toContainEqual(expect.objectContaining({ path: 'invoice.status', kind: 'wrong_enum' }));
    expect(figures.requestIssues).toContainEqual(
      expect.objectContaining({ path: 'params.colour', kind: 'unknown_parameter' }),
    );
    expect(figures.conformingPercent).toBe(0);
  });

  it('reads form-encoded numbers and booleans as what they must parse as', () => {
    const operation = schema.operationFor('POST', '/v1/subscriptions/sub_1');
    const checker = new ShapeChecker(schema.checker);
    expect(operation?.params).toBeTruthy();
    const params = operation?.params as NonNullable<typeof operation>['params'] & object;
    expect(checker.checkRequest({ cancel_at_period_end: 'true', items: [{ quantity: '2' }] }, params, 'p')).toEqual([]);
    expect(checker.checkRequest({ cancel_at_period_end: 'yes' }, params, 'p')).toEqual([
      expect.objectContaining({ path: 'p.cancel_at_period_end', kind: 'wrong_type' }),
    ]);
  });
});

describe('the emulator speaks Stripe to the service (issue #18, acceptance 2)', () => {
  it('answers the service’s Checkout, bundle, downgrade and refund journeys in shapes that conform', async () => {
    const { figures, checks } = await runConformance([
      'free → paid',
      'bundle',
      'downgrade on a discounted subscription',
      'refund',
    ]);
    expect(figures.responses).toBeGreaterThan(50);
    expect(figures.requestIssues).toEqual([]);
    const wrong = figures.wrongTypes.map((entry) => entry.path);
    expect(wrong).toEqual([]);
    expect(figures.unknownOperations).toEqual([]);
    expect(figures.conformingPercent).toBeGreaterThanOrEqual(95);
    expect(figures.requestViolations).toBe(0);
    expect(checks.filter((check) => check.check === 'ran to the end')).toEqual([]);
  }, 120_000);
});
