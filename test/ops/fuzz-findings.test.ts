import request from 'supertest';
import { createTestApp, type TestApp } from '../support/test-app';
import { adminAuth } from '../support/tokens';

/** Inputs test/ops/fuzz-routes.test.ts found answering 5xx, pinned so they stay fixed. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('fuzz findings', () => {
  it.each([
    ['an alias without its anchor', '*"!q'],
    ['more aliases than allowed', `a: &a [1]\nb: [${Array.from({ length: 60 }, () => '*a').join(', ')}]`],
  ])('POST /admin/v1/catalog/validate names %s as a catalog problem, not a 500', async (_what, yaml) => {
    const res = await request(t.app).post('/admin/v1/catalog/validate').set('Authorization', adminAuth).send({ yaml });
    expect(res.status).toBeLessThan(500);
    expect(JSON.stringify(res.body)).toMatch(/alias/i);
  });
});
