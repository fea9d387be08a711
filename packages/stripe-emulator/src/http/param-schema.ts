import type { FormValue } from './form-decoder';
import { invalidRequest, parameterMissing, parameterUnknown } from '../stripe-error';

/**
 * A tiny declarative schema for Stripe parameters. Each endpoint declares its whole
 * parameter tree, so anything else is refused with `parameter_unknown` like Stripe does.
 */
export interface Field<T, Required extends boolean = boolean> {
  readonly required: Required;
  parse(raw: FormValue, param: string): T;
}

export type Infer<F> = F extends Field<infer T, boolean> ? T : never;
type Shape = Record<string, Field<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends Field<unknown, true> ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

function field<T>(parse: (raw: FormValue, param: string) => T): Field<T, false> {
  return { required: false, parse };
}

function expectString(raw: FormValue, param: string): string {
  if (typeof raw !== 'string')
    throw invalidRequest(`Invalid string: ${param}`, { code: 'parameter_invalid_string', param });
  return raw;
}

export const string = (): Field<string, false> => field(expectString);

export const oneOf = <const T extends readonly string[]>(values: T): Field<T[number], false> =>
  field((raw, param) => {
    const value = expectString(raw, param);
    if (!values.includes(value)) {
      throw invalidRequest(`Invalid ${param}: must be one of ${values.join(', ')}`, {
        code: 'parameter_invalid_string',
        param,
      });
    }
    return value as T[number];
  });

export const integer = (): Field<number, false> =>
  field((raw, param) => {
    const value = expectString(raw, param);
    if (!/^-?\d+$/.test(value))
      throw invalidRequest(`Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param });
    return Number(value);
  });

export const boolean = (): Field<boolean, false> =>
  field((raw, param) => {
    const value = expectString(raw, param);
    if (value !== 'true' && value !== 'false')
      throw invalidRequest(`Invalid boolean: ${value}`, { code: 'parameter_invalid_boolean', param });
    return value === 'true';
  });

/** `trial_end=now` or a timestamp, `billing_cycle_anchor=now|unchanged`. */
export const integerOr = <const T extends readonly string[]>(words: T): Field<number | T[number], false> =>
  field((raw, param) => {
    const value = expectString(raw, param);
    if (words.includes(value)) return value as T[number];
    return integer().parse(value, param);
  });

/** `created=123` or `created[gte]=100&created[lt]=200`. */
export interface Range {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export const integerOrRange = (): Field<number | Range, false> =>
  field((raw, param) => {
    if (typeof raw === 'string') return integer().parse(raw, param);
    return object({ gt: integer(), gte: integer(), lt: integer(), lte: integer() }).parse(raw, param);
  });

export function inRange(value: number, filter: number | Range | undefined): boolean {
  if (filter === undefined) return true;
  if (typeof filter === 'number') return value === filter;
  return (
    (filter.gt === undefined || value > filter.gt) &&
    (filter.gte === undefined || value >= filter.gte) &&
    (filter.lt === undefined || value < filter.lt) &&
    (filter.lte === undefined || value <= filter.lte)
  );
}

export const array = <T>(item: Field<T>): Field<T[], false> =>
  field((raw, param) => {
    if (typeof raw === 'string') {
      if (raw === '') return [];
      throw invalidRequest(`Invalid array`, { code: 'parameter_invalid_array', param });
    }
    const entries = Array.isArray(raw) ? raw : Object.values(raw);
    return entries.map((entry, index) => item.parse(entry, `${param}[${index}]`));
  });

export const object = <S extends Shape>(shape: S): Field<ObjectOf<S>, false> =>
  field((raw, param) => parseObject(shape, raw, param) as ObjectOf<S>);

/** Free-form string map (`metadata[key]=value`); '' clears it. */
export const metadata = (): Field<Record<string, string>, false> =>
  field((raw, param) => {
    if (raw === '') return {};
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw invalidRequest(`Invalid hash`, { code: 'parameter_invalid_hash', param });
    const result: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) result[key] = expectString(value, `${param}[${key}]`);
    return result;
  });

/** A map keyed by free names whose values follow one schema (`currency_options[jpy][unit_amount]`). */
export const record = <T>(value: Field<T>): Field<Record<string, T>, false> =>
  field((raw, param) => {
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw invalidRequest(`Invalid hash`, { code: 'parameter_invalid_hash', param });
    return Object.fromEntries(Object.entries(raw).map(([key, entry]) => [key, value.parse(entry, `${param}[${key}]`)]));
  });

/** Stripe's "emptyable" parameters: an empty string unsets the value. */
export const emptyable = <T>(inner: Field<T>): Field<T | null, false> =>
  field((raw, param) => (raw === '' ? null : inner.parse(raw, param)));

export const required = <T>(inner: Field<T>): Field<T, true> => ({ required: true, parse: inner.parse });

export const expand = (): Field<string[], false> => array(string());

function parseObject(shape: Shape, raw: FormValue, prefix: string): Record<string, unknown> {
  if (typeof raw !== 'object' || Array.isArray(raw))
    throw invalidRequest(`Invalid object`, { code: 'parameter_invalid_hash', param: prefix });
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    const param = prefix ? `${prefix}[${key}]` : key;
    const spec = shape[key];
    if (!spec) throw parameterUnknown(param);
    result[key] = spec.parse(raw[key] as FormValue, param);
  }
  for (const [key, spec] of Object.entries(shape)) {
    if (spec.required && !(key in raw)) throw parameterMissing(prefix ? `${prefix}[${key}]` : key);
  }
  return result;
}

/** Validates a whole request's parameters against an endpoint's declared shape. */
export function parseParams<S extends Shape>(shape: S, raw: Record<string, FormValue>): ObjectOf<S> {
  return parseObject(shape, raw, '') as ObjectOf<S>;
}
