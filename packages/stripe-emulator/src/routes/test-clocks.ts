import type { EmulatorContext } from '../emulator-context';
import { advanceTestClock } from '../billing/advance-test-clock';
import { paginate } from '../http/list-response';
import { integer, required, string } from '../http/param-schema';
import { defineRoute, listParams, type Route } from '../http/route';
import { newId } from '../ids';
import type { Customer, TestClock } from '../resource-types';
import { invalidRequest } from '../stripe-error';

const BASE = '/v1/test_helpers/test_clocks';

function requireClock(context: EmulatorContext, id: string): TestClock {
  return context.store.require<TestClock>('test_helpers.test_clock', id, 'test_clock', 'test clock');
}

export const testClockRoutes: Route[] = [
  defineRoute({
    method: 'POST',
    path: BASE,
    params: { frozen_time: required(integer()), name: string() },
    handle: ({ context, params }) => {
      const clock: TestClock = {
        id: newId('clock'),
        object: 'test_helpers.test_clock',
        created: context.realNow(),
        deletes_after: context.realNow() + 30 * 86_400,
        frozen_time: params.frozen_time,
        livemode: false,
        name: params.name ?? null,
        status: 'ready',
        status_details: {},
      };
      return context.store.insert(clock);
    },
  }),
  defineRoute({
    method: 'GET',
    path: `${BASE}/:id`,
    params: {},
    handle: ({ context, path }) => requireClock(context, path.id ?? ''),
  }),
  defineRoute({
    method: 'DELETE',
    path: `${BASE}/:id`,
    params: {},
    handle: ({ context, path }) => {
      const clock = requireClock(context, path.id ?? '');
      for (const customer of context.store.all<Customer>('customer', (candidate) => candidate.test_clock === clock.id))
        customer.deleted = true;
      clock.deleted = true;
      return { id: clock.id, object: clock.object, deleted: true };
    },
  }),
  defineRoute({
    method: 'GET',
    path: BASE,
    params: listParams,
    handle: ({ context, params }) => paginate(context.store.all('test_helpers.test_clock'), params, BASE),
  }),
  defineRoute({
    method: 'POST',
    path: `${BASE}/:id/advance`,
    params: { frozen_time: required(integer()) },
    handle: ({ context, params, path }) => {
      const clock = requireClock(context, path.id ?? '');
      if (clock.status !== 'ready')
        throw invalidRequest('The test clock is already advancing. Wait for it to be ready before advancing again.', {
          code: 'test_clock_not_ready',
        });
      if (params.frozen_time <= clock.frozen_time)
        throw invalidRequest('The frozen_time must be after the current frozen_time of the test clock.', {
          param: 'frozen_time',
        });
      clock.status = 'advancing';
      clock.status_details = { advancing: { target_frozen_time: params.frozen_time } };
      // NOTE: like Stripe, advancing is asynchronous: poll until status is `ready`.
      context.deferred.push((later) => {
        const stored = requireClock(later, clock.id);
        advanceTestClock(later, stored, params.frozen_time);
        stored.status_details = {};
      });
      return clock;
    },
  }),
];
