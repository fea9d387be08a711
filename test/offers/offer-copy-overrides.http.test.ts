import { createTestApp, type TestApp } from '../support/test-app';
import { admin, createAccount, DAY, promptsOf, reportUsage, SimulatedClock } from './support/http-fixtures';

let t: TestApp;
const start = new Date();
const RULE = 'usage_limit_reached';
const catalogGermanTitle = 'Ihr Team ist gewachsen — Pro bietet mehr Platz';
beforeAll(async () => {
  t = await createTestApp();
  new SimulatedClock(t, start);
  const signedUpAt = new Date(start.getTime() - 60 * DAY);
  await createAccount(t, 'acct_copy_de', { country: 'DE', locale: 'de-DE', signedUpAt });
  await createAccount(t, 'acct_copy_en', { country: 'US', locale: 'en-US', signedUpAt });
  await reportUsage(t, 'acct_copy_de', 'projects', 3);
  await reportUsage(t, 'acct_copy_en', 'projects', 3);
});
afterAll(() => t.close());

const titleOf = async (account: string) => (await promptsOf(t, account))[0]?.copy.title as string | undefined;
const savedCopy = async () =>
  (await t.db.dataSource.query('SELECT copy_overrides FROM offer_rules WHERE id = $1', [RULE]))[0].copy_overrides;

describe('an offer rule’s copy per locale (issue #23)', () => {
  it('a German override speaks to German accounts only, in the prompt’s own arguments and formats', async () => {
    expect(await titleOf('acct_copy_de')).toBe(catalogGermanTitle);
    const englishBefore = await titleOf('acct_copy_en');
    const saved = await admin(t).put(`/admin/v1/offers/${RULE}/copy/de`, {
      title: 'Mehr Platz mit {target}: {percent, number, ::percent scale/0.01} genutzt',
      cta: 'Jetzt {target} holen',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      object: 'offer_copy',
      rule: RULE,
      overrides: { de: { cta: 'Jetzt {target} holen' } },
    });
    const [german] = await promptsOf(t, 'acct_copy_de');
    expect(german?.copy.title).toBe(
      `Mehr Platz mit Pro: ${new Intl.NumberFormat('de-DE', { style: 'percent' }).format(german!.reason.percent! / 100)} genutzt`,
    );
    expect(german?.copy.cta).toBe('Jetzt Pro holen');
    expect(german?.actions[0]).toMatchObject({ type: 'purchase', label: 'Jetzt Pro holen' });
    // NOTE: keys left out keep the catalog's copy.
    expect(german?.copy.body).toContain('Ihres Limits für');
    expect(await titleOf('acct_copy_en')).toBe(englishBefore);
    expect((await admin(t).get(`/admin/v1/offers/${RULE}/copy`)).body).toMatchObject({
      overrides: { de: { cta: 'Jetzt {target} holen' } },
      locales: expect.arrayContaining(['de', 'en']),
    });
  });

  it('refuses a message that does not compile or uses an argument the prompt lacks, saving nothing', async () => {
    const before = await savedCopy();
    const broken = await admin(t).put(`/admin/v1/offers/${RULE}/copy/de`, { title: 'Gut', body: '{target' });
    expect(broken.status).toBe(422);
    expect(broken.body.error).toMatchObject({ code: 'offer_copy_invalid', param: 'body' });
    const unknownArg = await admin(t).put(`/admin/v1/offers/${RULE}/copy/de`, { title: 'Hallo {customer_name}' });
    expect(unknownArg.status).toBe(422);
    expect(unknownArg.body.error).toMatchObject({ code: 'offer_copy_invalid', param: 'title' });
    expect(unknownArg.body.error.message).toContain('{customer_name}');
    const extraKey = await admin(t).put(`/admin/v1/offers/${RULE}/copy/de`, { subtitle: 'x' });
    expect(extraKey.status).toBe(422);
    expect((await admin(t).put(`/admin/v1/offers/${RULE}/copy/xx`, { title: 'x' })).status).toBe(422);
    expect((await admin(t).put('/admin/v1/offers/no_such_rule/copy/de', { title: 'x' })).status).toBe(404);
    expect(await savedCopy()).toEqual(before);
  });

  it('previews draft copy through the renderer without saving it', async () => {
    const before = await savedCopy();
    const preview = await admin(t).post(`/admin/v1/offers/${RULE}/preview`, {
      locale: 'de',
      copy: { title: 'Entwurf für {target}' },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ object: 'offer_copy_preview', locale: 'de' });
    expect(preview.body.copy.title).toMatch(/^Entwurf für \S/);
    // NOTE: the saved cta shows beside the draft title; nothing of the draft is stored.
    expect(preview.body.copy.cta).toMatch(/^Jetzt \S+ holen$/);
    expect(await savedCopy()).toEqual(before);
    expect(await titleOf('acct_copy_de')).not.toContain('Entwurf');
    const bad = await admin(t).post(`/admin/v1/offers/${RULE}/preview`, { locale: 'de', copy: { cta: '{oops}' } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.param).toBe('cta');
  });

  it('a reset brings the catalog’s copy back', async () => {
    const reset = await admin(t).delete(`/admin/v1/offers/${RULE}/copy/de`);
    expect(reset.status).toBe(200);
    expect(reset.body.overrides).toEqual({});
    expect(await titleOf('acct_copy_de')).toBe(catalogGermanTitle);
    expect(await savedCopy()).toEqual({});
  });
});
