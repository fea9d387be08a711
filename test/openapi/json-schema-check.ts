/**
 * A small JSON Schema 2020-12 checker for the keywords zod's toJSONSchema emits, so responses are
 * checked against the served document itself (ajv in node_modules is v6: draft-07 only).
 * An unknown keyword is an error, never silently ignored: extend this file when zod emits more.
 */
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(['description', 'title', 'default', 'examples', 'deprecated', 'readOnly', 'writeOnly']);
const HANDLED = new Set([
  '$ref',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'minItems',
  'maxItems',
  'anyOf',
  'oneOf',
  'allOf',
  'not',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minLength',
  'maxLength',
  'pattern',
  'format',
]);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

const matchesType = (value: unknown, type: string) =>
  type === 'number' ? typeof value === 'number' : typeOf(value) === type;

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class JsonSchemaChecker {
  constructor(private readonly root: Record<string, unknown>) {}

  /** Every problem found, as `path: message`; empty when `value` is valid. */
  check(schema: Schema, value: unknown, path = '$'): string[] {
    if (schema === true) return [];
    if (schema === false) return [`${path}: no value is allowed here`];
    const problems: string[] = [];
    for (const key of Object.keys(schema))
      if (!HANDLED.has(key) && !ANNOTATIONS.has(key)) problems.push(`${path}: unsupported keyword "${key}" in schema`);
    const s = schema as Record<string, unknown>;

    if (typeof s.$ref === 'string') problems.push(...this.check(this.resolve(s.$ref), value, path));
    if (s.type !== undefined) {
      const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
      if (!types.some((t) => matchesType(value, t)))
        return [...problems, `${path}: expected ${types.join(' or ')}, got ${typeOf(value)}`];
    }
    if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, value)))
      problems.push(`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(s.enum)}`);
    if ('const' in s && !equal(s.const, value))
      problems.push(`${path}: expected ${JSON.stringify(s.const)}, got ${JSON.stringify(value)}`);
    if (Array.isArray(s.allOf)) for (const sub of s.allOf as Schema[]) problems.push(...this.check(sub, value, path));
    if (Array.isArray(s.anyOf) && !(s.anyOf as Schema[]).some((sub) => this.check(sub, value, path).length === 0))
      problems.push(`${path}: matches none of anyOf: ${this.closest(s.anyOf as Schema[], value, path)}`);
    if (Array.isArray(s.oneOf)) {
      const passing = (s.oneOf as Schema[]).filter((sub) => this.check(sub, value, path).length === 0).length;
      if (passing !== 1)
        problems.push(`${path}: matches ${passing} of oneOf: ${this.closest(s.oneOf as Schema[], value, path)}`);
    }
    if (s.not !== undefined && this.check(s.not as Schema, value, path).length === 0)
      problems.push(`${path}: matches a "not" schema`);

    if (typeof value === 'string') problems.push(...this.checkString(s, value, path));
    if (typeof value === 'number') problems.push(...this.checkNumber(s, value, path));
    if (Array.isArray(value)) problems.push(...this.checkArray(s, value, path));
    else if (value !== null && typeof value === 'object')
      problems.push(...this.checkObject(s, value as Record<string, unknown>, path));
    return problems;
  }

  private resolve(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`external $ref ${ref}`);
    let node: unknown = this.root;
    for (const part of ref.slice(2).split('/'))
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved $ref ${ref}`);
    return node as Schema;
  }

  private closest(options: Schema[], value: unknown, path: string): string {
    const attempts = options.map((sub) => this.check(sub, value, path));
    attempts.sort((a, b) => a.length - b.length);
    return (attempts[0] ?? []).slice(0, 3).join('; ');
  }

  private checkString(s: Record<string, unknown>, value: string, path: string): string[] {
    const problems: string[] = [];
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) problems.push(`${path}: shorter than ${s.minLength}`);
    if (typeof s.maxLength === 'number' && length > s.maxLength) problems.push(`${path}: longer than ${s.maxLength}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value))
      problems.push(`${path}: ${JSON.stringify(value)} does not match ${s.pattern}`);
    if (s.format === 'date-time' && (!DATE_TIME.test(value) || Number.isNaN(Date.parse(value))))
      problems.push(`${path}: ${JSON.stringify(value)} is not a date-time`);
    return problems;
  }

  private checkNumber(s: Record<string, unknown>, value: number, path: string): string[] {
    const problems: string[] = [];
    if (typeof s.minimum === 'number' && value < s.minimum) problems.push(`${path}: below ${s.minimum}`);
    if (typeof s.maximum === 'number' && value > s.maximum) problems.push(`${path}: above ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && value <= s.exclusiveMinimum)
      problems.push(`${path}: not above ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && value >= s.exclusiveMaximum)
      problems.push(`${path}: not below ${s.exclusiveMaximum}`);
    if (typeof s.multipleOf === 'number' && !Number.isInteger(value / s.multipleOf))
      problems.push(`${path}: not a multiple of ${s.multipleOf}`);
    return problems;
  }

  private checkArray(s: Record<string, unknown>, value: unknown[], path: string): string[] {
    const problems: string[] = [];
    if (typeof s.minItems === 'number' && value.length < s.minItems)
      problems.push(`${path}: fewer than ${s.minItems} items`);
    if (typeof s.maxItems === 'number' && value.length > s.maxItems)
      problems.push(`${path}: more than ${s.maxItems} items`);
    const prefix = (s.prefixItems as Schema[] | undefined) ?? [];
    value.forEach((item, i) => {
      const sub = i < prefix.length ? prefix[i] : (s.items as Schema | undefined);
      if (sub !== undefined) problems.push(...this.check(sub, item, `${path}[${i}]`));
    });
    return problems;
  }

  private checkObject(s: Record<string, unknown>, value: Record<string, unknown>, path: string): string[] {
    const problems: string[] = [];
    const properties = (s.properties as Record<string, Schema> | undefined) ?? {};
    for (const name of (s.required as string[] | undefined) ?? [])
      if (!(name in value)) problems.push(`${path}: missing required property "${name}"`);
    for (const [name, item] of Object.entries(value)) {
      const where = `${path}.${name}`;
      if (s.propertyNames !== undefined)
        problems.push(...this.check(s.propertyNames as Schema, name, `${where} (name)`));
      if (name in properties) problems.push(...this.check(properties[name] as Schema, item, where));
      else if (s.additionalProperties === false) problems.push(`${path}: property "${name}" is not in the document`);
      else if (s.additionalProperties !== undefined)
        problems.push(...this.check(s.additionalProperties as Schema, item, where));
    }
    return problems;
  }
}
