import type { ListObject, Resource } from '../resource-types';
import { invalidRequest, resourceMissing } from '../stripe-error';

export interface PageParams {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
}

/** Stripe's cursor pagination over a newest-first collection. */
export function paginate<T extends Resource>(items: T[], page: PageParams, url: string): ListObject<T> {
  const limit = page.limit ?? 10;
  if (limit < 1 || limit > 100) {
    throw invalidRequest('This value must be greater than or equal to 1 and less than or equal to 100.', {
      code: 'parameter_invalid_integer',
      param: 'limit',
    });
  }
  if (page.starting_after !== undefined) {
    const index = items.findIndex((item) => item.id === page.starting_after);
    if (index === -1) throw resourceMissing('object', page.starting_after, 'starting_after');
    const rest = items.slice(index + 1);
    return { object: 'list', data: rest.slice(0, limit), has_more: rest.length > limit, url };
  }
  if (page.ending_before !== undefined) {
    const index = items.findIndex((item) => item.id === page.ending_before);
    if (index === -1) throw resourceMissing('object', page.ending_before, 'ending_before');
    const before = items.slice(0, index);
    return {
      object: 'list',
      data: before.slice(Math.max(0, before.length - limit)),
      has_more: before.length > limit,
      url,
    };
  }
  return { object: 'list', data: items.slice(0, limit), has_more: items.length > limit, url };
}
