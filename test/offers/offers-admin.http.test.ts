import fs from 'node:fs';
import request from 'supertest';
import { parse } from 'yaml';
import { defaultOfferRulesFile } from '../../src/offers/load-offer-rules';
import { createTestApp, type TestApp } from '../support/test-app';
import { bearer, serverAuth, userToken } from '../support/tokens';
import { admin, createAccount, DAY, promptsOf, SimulatedClock } from './support/http-fixtures';

let t: TestApp;
const start = new Date();
beforeAll(async () => {
  t = await createTestApp();
  new SimulatedClock(t, start);
});
afterAll(() => t.close());

const seedCount = (parse(fs.readFileSync(defaultOfferRulesFile(), 'utf8')) as { rules: unknown[] }).rules.length;
const welcome = {
  kind: 'upsell',
  trigger: { type: 'days_after_signup', days: 1, within_days: 30 },
  audience: { industries: ['admintest'] },
  offer: { type: 'plan', plan: 'premium' },
  placements: ['settings'],
  priority: 500,
  copy: 'welcome_pro',
};

describe('/admin/v1/offers', () => {
  it('is seeded from offers/offer-rules.yaml on first use, with the market settings beside the rules', async () => {
    const res = await admin(t).get('/admin/v1/offers');
    expect(res.status).toBe(200);
    expect(res.body.data).toHaveLength(seedCount);
    expect(res.body.settings.tone_profiles.relationship.copy_variant).toBe('gentle');
    const rows = await t.db.dataSource.query('SELECT count(*)::int AS n FROM offer_rules');
    expect(rows[0].n).toBe(seedCount);
  });

  it('refuses an invalid rule, naming every problem by path', async () => {
    const res = await admin(t).post('/admin/v1/offers', {
      ...welcome,
      id: 'bad_rule',
      offer: { type: 'plan', plan: 'platinum' },
      copy: 'nope',
    });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'offer_rule_invalid', param: 'offer.plan' });
    expect(res.body.error.errors.map((e: { param: string }) => e.param)).toEqual(['offer.plan', 'copy']);
    const shape = await admin(t).post('/admin/v1/offers', { ...welcome, id: 'bad_shape', priority: 'high' });
    expect(shape.status).toBe(422);
    expect(shape.body.error.param).toBe('priority');
  });

  it('creates, reads, replaces and deletes a rule, and prompts follow at once', async () => {
    await createAccount(t, 'acct_admin', { industry: 'admintest', signedUpAt: new Date(start.getTime() - 3 * DAY) });
    expect(await promptsOf(t, 'acct_admin', { placement: 'settings' })).toEqual([]);

    const created = await admin(t).post('/admin/v1/offers', { ...welcome, id: 'admin_welcome' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'admin_welcome', enabled: true, conversion_rate: 0.02 });
    expect((await admin(t).post('/admin/v1/offers', { ...welcome, id: 'admin_welcome' })).status).toBe(409);
    expect((await admin(t).get('/admin/v1/offers/admin_welcome')).body.priority).toBe(500);
    expect((await promptsOf(t, 'acct_admin', { placement: 'settings' })).map((p) => p.offer.code)).toEqual(['premium']);

    const replaced = await admin(t).put('/admin/v1/offers/admin_welcome', { ...welcome, enabled: false });
    expect(replaced.status).toBe(200);
    expect(await promptsOf(t, 'acct_admin', { placement: 'settings' })).toEqual([]);

    expect((await admin(t).put('/admin/v1/offers/admin_other', { ...welcome, id: 'not_the_same' })).status).toBe(422);
    expect((await admin(t).put('/admin/v1/offers/admin_put_new', welcome)).status).toBe(201);

    expect((await admin(t).delete('/admin/v1/offers/admin_welcome')).status).toBe(204);
    expect((await admin(t).get('/admin/v1/offers/admin_welcome')).status).toBe(404);
    expect((await admin(t).delete('/admin/v1/offers/admin_welcome')).status).toBe(404);
  });

  it('is for operators only', async () => {
    expect((await request(t.app).get('/admin/v1/offers').set('Authorization', serverAuth)).status).toBe(403);
    expect(
      (
        await request(t.app)
          .get('/admin/v1/offers')
          .set('Authorization', bearer(userToken('acct_admin')))
      ).status,
    ).toBe(403);
    expect((await request(t.app).get('/admin/v1/offers')).status).toBe(401);
  });
});
