import ts from 'typescript';

export type IssueKind =
  /** A property the type declares required is absent. */
  | 'missing_required'
  /** A value of the wrong primitive or structural type (null where the type is not nullable included). */
  | 'wrong_type'
  /** A string outside the declared literal union. */
  | 'wrong_enum'
  /** Requests only: a parameter the type does not declare. */
  | 'unknown_parameter';

export interface ShapeIssue {
  kind: IssueKind;
  /** Where in the value, e.g. `invoice.issuer` or `items[].price`. */
  path: string;
  /** For missing fields: whether the type allows null there (Stripe then sends `null`, never omits it). */
  nullable?: boolean;
  detail: string;
}

/**
 * Checks JSON values against the SDK's declared types. Responses carry JSON types;
 * requests are form-encoded, so every scalar arrives as a string and is checked by what
 * it must parse as (`"12"` for a number, `"true"` for a boolean, `""` to unset an Emptyable).
 */
export class ShapeChecker {
  constructor(private readonly checker: ts.TypeChecker) {}

  checkResponse(value: unknown, type: ts.Type, root: string): ShapeIssue[] {
    const issues: ShapeIssue[] = [];
    this.check(value, type, root, issues, 'response', 0);
    return issues;
  }

  checkRequest(params: unknown, type: ts.Type, root: string): ShapeIssue[] {
    const issues: ShapeIssue[] = [];
    this.check(params, type, root, issues, 'request', 0);
    return issues;
  }

  private check(value: unknown, type: ts.Type, at: string, issues: ShapeIssue[], mode: Mode, depth: number): void {
    if (depth > 40) return;
    const flags = type.flags;
    if (flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return;
    if (type.isUnion() && !(flags & ts.TypeFlags.Boolean)) return this.checkUnion(value, type, at, issues, mode, depth);
    if (value === null || value === undefined) {
      issues.push({ kind: 'wrong_type', path: at, detail: `null where ${this.name(type)} is required` });
      return;
    }
    if (type.isIntersection()) {
      const primitive = type.types.find((member) => member.flags & ts.TypeFlags.StringLike);
      return this.check(value, primitive ?? type.types[0]!, at, issues, mode, depth);
    }
    if (flags & ts.TypeFlags.StringLiteral) return this.literal(value, [type], at, issues);
    if (flags & ts.TypeFlags.String) return this.primitive(value, 'string', at, issues, mode);
    if (flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral))
      return this.primitive(value, 'number', at, issues, mode);
    if (flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral))
      return this.primitive(value, 'boolean', at, issues, mode);
    if (this.checker.isArrayType(type)) {
      const element = this.checker.getTypeArguments(type as ts.TypeReference)[0];
      if (!Array.isArray(value)) {
        issues.push({ kind: 'wrong_type', path: at, detail: `expected an array, got ${typeof value}` });
        return;
      }
      value.forEach((entry) => element && this.check(entry, element, `${at}[]`, issues, mode, depth + 1));
      return;
    }
    if (isDecimal(type)) return this.primitive(value, 'decimal', at, issues, mode);
    if (flags & ts.TypeFlags.Object) return this.checkObject(value, type, at, issues, mode, depth);
  }

  private checkUnion(value: unknown, type: ts.UnionType, at: string, issues: ShapeIssue[], mode: Mode, depth: number) {
    const members = type.types.filter((member) => !(member.flags & ts.TypeFlags.Undefined));
    const nullable = members.some((member) => member.flags & ts.TypeFlags.Null);
    const nonNull = members.filter((member) => !(member.flags & ts.TypeFlags.Null));
    if (value === null) {
      if (!nullable)
        issues.push({ kind: 'wrong_type', path: at, detail: `null where ${this.name(type)} is not nullable` });
      return;
    }
    if (mode === 'request' && value === '' && (nullable || nonNull.some((member) => isLiteral(member, '')))) return;
    // NOTE: the SDK widens enums with `OtherString` (`string & {}`) for values newer than the pinned API
    // version; at the pinned version only the listed literals are valid.
    const widening = (member: ts.Type) =>
      member.isIntersection() && member.types.some((part) => part.flags & ts.TypeFlags.String);
    const onlyLiterals = nonNull.every(
      (member) => member.flags & ts.TypeFlags.BooleanLiteral || member.isLiteral() || widening(member),
    );
    if (onlyLiterals && nonNull.some((member) => member.flags & ts.TypeFlags.StringLiteral))
      return this.literal(value, nonNull, at, issues);
    if (onlyLiterals) return this.primitive(value, 'boolean', at, issues, mode);
    const candidates = nonNull.filter((member) => this.accepts(value, member, mode));
    if (candidates.length === 0) {
      issues.push({ kind: 'wrong_type', path: at, detail: `${describe(value)} is not ${this.name(type)}` });
      return;
    }
    const best = candidates
      .map((member) => {
        const found: ShapeIssue[] = [];
        this.check(value, member, at, found, mode, depth + 1);
        return found;
      })
      .sort((a, b) => a.length - b.length)[0];
    issues.push(...(best ?? []));
  }

  /** Whether a union member is the right kind for the value, and for objects the right `object`. */
  private accepts(value: unknown, member: ts.Type, mode: Mode): boolean {
    if (member.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
    if (member.flags & ts.TypeFlags.StringLike) return typeof value === 'string';
    if (member.flags & ts.TypeFlags.NumberLike) return typeof value === 'number' || mode === 'request';
    if (member.flags & ts.TypeFlags.BooleanLike) return typeof value === 'boolean' || mode === 'request';
    if (member.isIntersection()) return member.types.some((part) => this.accepts(value, part, mode));
    if (this.checker.isArrayType(member)) return Array.isArray(value);
    if (isDecimal(member)) return typeof value === 'string' || typeof value === 'number';
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    // Discriminants: `object` for resources, `type` for events.
    return ['object', 'type'].every((discriminant) => {
      const property = member.getProperty(discriminant);
      const declared = property && this.checker.getTypeOfSymbol(property);
      const wire = (value as Record<string, unknown>)[discriminant];
      return !(declared?.isStringLiteral() && typeof wire === 'string') || declared.value === wire;
    });
  }

  private checkObject(value: unknown, type: ts.Type, at: string, issues: ShapeIssue[], mode: Mode, depth: number) {
    if (typeof value !== 'object' || value === null || (Array.isArray(value) && !type.getStringIndexType())) {
      issues.push({ kind: 'wrong_type', path: at, detail: `expected ${this.name(type)}, got ${describe(value)}` });
      return;
    }
    const record = value as Record<string, unknown>;
    const index = type.getStringIndexType();
    const properties = new Map(this.checker.getPropertiesOfType(type).map((symbol) => [symbol.name, symbol]));
    for (const [name, symbol] of properties) {
      if (name === 'lastResponse') continue;
      const propertyType = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(symbol));
      const declaredType = this.checker.getTypeOfSymbol(symbol);
      const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
      if (!(name in record)) {
        if (!optional)
          issues.push({
            kind: 'missing_required',
            path: `${at}.${name}`,
            nullable: declaredType.isUnion() && declaredType.types.some((part) => part.flags & ts.TypeFlags.Null),
            detail: `${this.name(declaredType)}`,
          });
        continue;
      }
      const checked = optional && record[name] !== null ? propertyType : declaredType;
      this.check(record[name], checked, `${at}.${name}`, issues, mode, depth + 1);
    }
    for (const key of Object.keys(record)) {
      if (properties.has(key)) continue;
      if (index) this.check(record[key], index, `${at}[${key}]`, issues, mode, depth + 1);
      else if (mode === 'request')
        issues.push({ kind: 'unknown_parameter', path: `${at}.${key}`, detail: `${this.name(type)} has no ${key}` });
    }
  }

  private literal(value: unknown, members: ts.Type[], at: string, issues: ShapeIssue[]): void {
    const allowed = members.filter((member) => member.isStringLiteral()).map((member) => member.value as string);
    if (typeof value !== 'string') {
      issues.push({ kind: 'wrong_type', path: at, detail: `${describe(value)} is not one of ${allowed.join('|')}` });
      return;
    }
    if (!allowed.includes(value))
      issues.push({ kind: 'wrong_enum', path: at, detail: `'${value}' is not one of ${allowed.join('|')}` });
  }

  private primitive(
    value: unknown,
    kind: 'string' | 'number' | 'boolean' | 'decimal',
    at: string,
    issues: ShapeIssue[],
    mode: Mode,
  ) {
    const ok =
      mode === 'request' && typeof value === 'string'
        ? kind === 'string' || (kind === 'boolean' ? /^(true|false)$/.test(value) : /^-?\d+(\.\d+)?$/.test(value))
        : kind === 'decimal'
          ? typeof value === 'string' || typeof value === 'number'
          : typeof value === kind;
    if (!ok) issues.push({ kind: 'wrong_type', path: at, detail: `${describe(value)} is not a ${kind}` });
  }

  private name(type: ts.Type): string {
    return this.checker.typeToString(type).slice(0, 80);
  }
}

type Mode = 'request' | 'response';

function isLiteral(type: ts.Type, value: string): boolean {
  return type.isStringLiteral() && type.value === value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.slice(0, 40)}'`;
  return typeof value;
}

/** The SDK parses `*_decimal` fields into its Decimal class; on the wire they are decimal strings. */
function isDecimal(type: ts.Type): boolean {
  return /^Decimal(Impl)?$/.test(type.symbol?.name ?? type.aliasSymbol?.name ?? '');
}
