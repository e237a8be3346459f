/**
 * The document database behind the CloudBase emulator (test/helpers/cloudbase-emulator.ts): what
 * CloudBase's MongoDB-based database does with the requests `@cloudbase/database` 1.4.3 sends,
 * in memory. Only what the adapters use is implemented; anything else is answered with an error
 * code (EMULATOR_UNSUPPORTED), never ignored.
 *
 * Wire format, as read from the SDK: queries, orders, documents and update specs travel as
 * canonical extended JSON strings (`{"$numberInt":"5"}`, `{"$date":{"$numberLong":"0"}}`);
 * answers carry documents as extended JSON strings too (`{"data":{"list":["{\"_id\":\"a\"}"]}}`),
 * which the SDK parses in relaxed mode.
 *
 * Transactions: optimistic, per document. A transaction remembers the version of every document
 * it read or wrote; its write fails at once if another live transaction already wrote that
 * document (first writer wins, as in MongoDB), and its commit fails if any remembered document
 * changed since — by another transaction or a plain write. Both answer
 * DATABASE_TRANSACTION_CONFLICT (which the SDK's runTransaction retries) and end the transaction.
 */

export type Value = null | boolean | number | string | Date | Value[] | { [key: string]: Value };
export type Doc = { _id: string } & { [key: string]: Value };

/** An answer with an error code, as CloudBase gives it: `{ code, message, requestId }`. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const unsupported = (what: string) =>
  new ApiError('EMULATOR_UNSUPPORTED', `the CloudBase emulator does not support ${what}`);
const invalid = (message: string) => new ApiError('INVALID_PARAM', message);

// ---------------------------------------------------------------------------------------------
// Extended JSON

const EJSON_TYPE_KEYS = new Set([
  '$numberInt',
  '$numberDouble',
  '$numberLong',
  '$numberDecimal',
  '$date',
  '$oid',
  '$regularExpression',
  '$binary',
  '$timestamp',
  '$symbol',
  '$minKey',
  '$maxKey',
  '$undefined',
  '$code',
  '$dbPointer',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

/** Canonical (or relaxed) extended JSON, already JSON-parsed, to values. */
export function fromEjson(value: unknown): Value {
  if (Array.isArray(value)) return value.map(fromEjson);
  if (!isPlainObject(value)) {
    if (value === undefined) throw invalid('undefined is not a value');
    return value as Value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && EJSON_TYPE_KEYS.has(keys[0]!)) {
    const [key] = keys as [string];
    const inner = value[key];
    switch (key) {
      case '$numberInt':
      case '$numberDouble':
      case '$numberLong':
      case '$numberDecimal':
        return Number(inner);
      case '$date': {
        if (isPlainObject(inner) && typeof inner.$numberLong === 'string') return new Date(Number(inner.$numberLong));
        if (typeof inner === 'string' || typeof inner === 'number') return new Date(inner);
        throw invalid('malformed $date');
      }
      case '$oid':
        return String(inner);
      default:
        throw unsupported(`the extended JSON type ${key}`);
    }
  }
  return Object.fromEntries(keys.map((key) => [key, fromEjson(value[key])]));
}

/** Parses one extended JSON string from a request field. */
export function parseEjson(text: unknown, field: string): Value {
  if (typeof text !== 'string') throw invalid(`${field} must be an extended JSON string`);
  try {
    return fromEjson(JSON.parse(text));
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw invalid(`${field} is not valid JSON`);
  }
}

/** Values to relaxed extended JSON: plain JSON except dates and non-finite numbers. */
function toEjson(value: Value): unknown {
  if (value instanceof Date) return { $date: { $numberLong: String(value.getTime()) } };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $numberDouble: String(value) };
  if (Array.isArray(value)) return value.map(toEjson);
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toEjson(item)]));
  return value;
}

export function stringifyEjson(value: Value): string {
  return JSON.stringify(toEjson(value));
}

function clone<T extends Value>(value: T): T {
  return structuredClone(value);
}

// ---------------------------------------------------------------------------------------------
// Comparison (BSON order) and equality

function typeRank(value: Value | undefined): number {
  if (value === undefined || value === null) return 1;
  if (typeof value === 'number') return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (value instanceof Date) return 9;
  if (typeof value === 'boolean') return 8;
  return 4;
}

/** MongoDB's order across types (null < numbers < strings < objects < arrays < booleans < dates). */
export function compareValues(a: Value | undefined, b: Value | undefined): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA - rankB;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  // strings compare by their UTF-8 bytes (the simple binary collation)
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (rankA === 1) return 0;
  return JSON.stringify(toEjson(a as Value)) < JSON.stringify(toEjson(b as Value)) ? -1 : deepEqual(a, b) ? 0 : 1;
}

export function deepEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysA = Object.keys(a);
    const keysB = Object.keys(b);
    // field order matters for embedded documents in MongoDB
    return keysA.length === keysB.length && keysA.every((key, i) => key === keysB[i] && deepEqual(a[key], b[key]));
  }
  return a === b;
}

// ---------------------------------------------------------------------------------------------
// Field paths

/** The values a dotted path reaches (arrays are traversed as MongoDB does); `missing` when none. */
function resolvePath(value: Value | undefined, segments: readonly string[]): { values: Value[]; missing: boolean } {
  if (segments.length === 0)
    return value === undefined ? { values: [], missing: true } : { values: [value], missing: false };
  const [segment, ...rest] = segments as [string, ...string[]];
  if (Array.isArray(value)) {
    if (/^\d+$/.test(segment)) return resolvePath(value[Number(segment)], rest);
    const values: Value[] = [];
    for (const element of value) {
      if (isPlainObject(element)) values.push(...resolvePath(element, segments).values);
    }
    return { values, missing: values.length === 0 };
  }
  if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, segment)) {
    return resolvePath(value[segment], rest);
  }
  return { values: [], missing: true };
}

/** The first value at a path (no array fan-out beyond indexes): sort keys, group keys, geo keys. */
function valueAt(doc: Value, path: string): Value | undefined {
  const found = resolvePath(doc, path.split('.'));
  return found.missing ? undefined : found.values[0];
}

function setPath(doc: { [key: string]: Value }, path: string, value: Value): void {
  const segments = path.split('.');
  let current: Value = doc;
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment))
        throw new ApiError('DATABASE_REQUEST_FAILED', `Cannot create field '${segment}' in an array`);
      const position = Number(segment);
      while (current.length < position) current.push(null);
      if (last) current[position] = value;
      else if (current[position] === undefined || current[position] === null) current[position] = {};
      current = current[position] as Value;
    } else if (isPlainObject(current)) {
      if (last) current[segment] = value;
      else if (current[segment] === undefined || current[segment] === null) current[segment] = {};
      current = current[segment] as Value;
    } else {
      throw new ApiError(
        'DATABASE_REQUEST_FAILED',
        `Cannot create field '${segment}' in element ${JSON.stringify(current)}`,
      );
    }
  }
}

function unsetPath(doc: { [key: string]: Value }, path: string): void {
  const segments = path.split('.');
  let current: Value | undefined = doc;
  for (const segment of segments.slice(0, -1)) {
    current = isPlainObject(current) ? current[segment] : Array.isArray(current) ? current[Number(segment)] : undefined;
  }
  const last = segments[segments.length - 1]!;
  if (isPlainObject(current)) delete current[last];
  else if (Array.isArray(current) && /^\d+$/.test(last) && Number(last) < current.length) current[Number(last)] = null;
}

// ---------------------------------------------------------------------------------------------
// Queries

function checkedArray(value: Value, operator: string): Value[] {
  if (!Array.isArray(value)) throw new ApiError('DATABASE_REQUEST_FAILED', `${operator} needs an array`);
  return value;
}

/** Each value, and for arrays each element too: how MongoDB matches a condition against a field. */
function candidates(values: Value[]): Value[] {
  return values.flatMap((value) => (Array.isArray(value) ? [value, ...value] : [value]));
}

function sameClass(a: Value, b: Value): boolean {
  return typeRank(a) === typeRank(b) && typeRank(a) !== 4 && typeRank(a) !== 5;
}

function matchesEquals(found: { values: Value[]; missing: boolean }, expected: Value): boolean {
  if (expected === null) return found.missing || candidates(found.values).some((value) => value === null);
  return candidates(found.values).some((value) => deepEqual(value, expected));
}

function matchesOperator(found: { values: Value[]; missing: boolean }, operator: string, operand: Value): boolean {
  const range = (test: (order: number) => boolean) =>
    candidates(found.values).some((value) => sameClass(value, operand) && test(compareValues(value, operand)));
  switch (operator) {
    case '$eq':
      return matchesEquals(found, operand);
    case '$ne':
      return !matchesEquals(found, operand);
    case '$lt':
      return range((order) => order < 0);
    case '$lte':
      return operand === null ? matchesEquals(found, null) : range((order) => order <= 0);
    case '$gt':
      return range((order) => order > 0);
    case '$gte':
      return operand === null ? matchesEquals(found, null) : range((order) => order >= 0);
    case '$in':
      return checkedArray(operand, '$in').some((expected) => matchesEquals(found, expected));
    case '$nin':
      return !checkedArray(operand, '$nin').some((expected) => matchesEquals(found, expected));
    case '$exists':
      return Boolean(operand) === !found.missing;
    default:
      throw unsupported(`the query operator ${operator}`);
  }
}

function isOperatorObject(value: Value): value is { [key: string]: Value } {
  const keys = isPlainObject(value) ? Object.keys(value) : [];
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

const QUERY_OPERATORS = new Set(['$eq', '$ne', '$lt', '$lte', '$gt', '$gte', '$in', '$nin', '$exists']);

/**
 * Checks a whole query up front: an operator the emulator does not know is an error even when no
 * document would reach it (an empty collection, a condition that fails first).
 */
function checkQuery(query: Value): void {
  if (!isPlainObject(query)) throw invalid('a query must be an object');
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and' || key === '$or' || key === '$nor') checkedArray(condition, key).forEach(checkQuery);
    else if (key.startsWith('$')) throw unsupported(`the query operator ${key}`);
    else if (isOperatorObject(condition)) {
      for (const [operator, operand] of Object.entries(condition)) {
        if (!QUERY_OPERATORS.has(operator)) throw unsupported(`the query operator ${operator}`);
        if (operator === '$in' || operator === '$nin') checkedArray(operand, operator);
      }
    }
  }
}

/** Parses and checks a query from a request field (absent or empty: everything). */
export function parseQuery(text: unknown, field = 'query'): Value {
  const query = text === undefined || text === '' ? {} : parseEjson(text, field);
  checkQuery(query);
  return query;
}

/** Does `doc` match the (decoded) query? Unknown operators are an error, not a non-match. */
export function matches(doc: Value, query: Value): boolean {
  if (!isPlainObject(query)) throw invalid('a query must be an object');
  for (const [key, condition] of Object.entries(query)) {
    if (key === '$and') {
      if (!checkedArray(condition, '$and').every((part) => matches(doc, part))) return false;
    } else if (key === '$or') {
      if (!checkedArray(condition, '$or').some((part) => matches(doc, part))) return false;
    } else if (key === '$nor') {
      if (checkedArray(condition, '$nor').some((part) => matches(doc, part))) return false;
    } else if (key.startsWith('$')) {
      throw unsupported(`the query operator ${key}`);
    } else {
      const found = resolvePath(doc, key.split('.'));
      if (isOperatorObject(condition)) {
        for (const [operator, operand] of Object.entries(condition)) {
          if (!matchesOperator(found, operator, operand)) return false;
        }
      } else if (!matchesEquals(found, condition)) {
        return false;
      }
    }
  }
  return true;
}

function sortDocs<T extends Value>(docs: T[], order: Value): T[] {
  if (!isPlainObject(order)) throw invalid('order must be an object');
  const fields = Object.entries(order).map(([field, direction]) => {
    if (direction !== 1 && direction !== -1) throw invalid(`order direction for ${field} must be 1 or -1`);
    return { field, direction };
  });
  return [...docs].sort((a, b) => {
    for (const { field, direction } of fields) {
      const order = compareValues(valueAt(a, field), valueAt(b, field));
      if (order !== 0) return order * direction;
    }
    return 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Updates

function checkFieldNames(value: Value, where: string): void {
  if (Array.isArray(value)) value.forEach((item) => checkFieldNames(item, where));
  else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (key.startsWith('$'))
        throw new ApiError('DATABASE_REQUEST_FAILED', `field names may not start with $ (${where})`);
      checkFieldNames(item, where);
    }
  }
}

function applyUpdateSpec(doc: Doc, spec: Value): Doc {
  if (!isPlainObject(spec)) throw invalid('an update must be an object');
  const next = clone(doc);
  for (const [operator, fields] of Object.entries(spec)) {
    if (!isPlainObject(fields)) throw invalid(`${operator} needs an object`);
    for (const [path, operand] of Object.entries(fields)) {
      if (path === '_id' || path.startsWith('_id.'))
        throw new ApiError('DATABASE_REQUEST_FAILED', 'the _id field cannot be changed');
      switch (operator) {
        case '$set':
          checkFieldNames(operand, path);
          setPath(next, path, clone(operand));
          break;
        case '$unset':
          unsetPath(next, path);
          break;
        case '$inc': {
          const current = valueAt(next, path);
          if (typeof operand !== 'number' || (current !== undefined && typeof current !== 'number'))
            throw new ApiError('DATABASE_REQUEST_FAILED', `$inc needs numbers at ${path}`);
          setPath(next, path, (current ?? 0) + operand);
          break;
        }
        default:
          throw unsupported(`the update operator ${operator}`);
      }
    }
  }
  return next;
}

// ---------------------------------------------------------------------------------------------
// Aggregation

/** MongoDB's Earth radius for 2dsphere distances in metres (not the IUGG mean radius the domain uses). */
export const MONGODB_EARTH_RADIUS_M = 6_378_100;

function greatCircle(a: [number, number], b: [number, number]): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * MONGODB_EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

function pointOf(value: Value | undefined): [number, number] | null {
  if (!isPlainObject(value) || value.type !== 'Point' || !Array.isArray(value.coordinates)) return null;
  const [lng, lat] = value.coordinates;
  return typeof lng === 'number' && typeof lat === 'number' && Math.abs(lng) <= 180 && Math.abs(lat) <= 90
    ? [lng, lat]
    : null;
}

function optionalNumber(spec: { [key: string]: Value }, field: string): number | undefined {
  const value = spec[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) throw invalid(`geoNear ${field} must be a number`);
  return value;
}

const GEO_NEAR_OPTIONS = new Set([
  'near',
  'spherical',
  'key',
  'distanceField',
  'query',
  'minDistance',
  'maxDistance',
  'limit',
  'distanceMultiplier',
  'includeLocs',
]);

function geoNear(docs: Doc[], spec: Value): Value[] {
  if (!isPlainObject(spec)) throw invalid('geoNear needs an object');
  for (const option of Object.keys(spec))
    if (!GEO_NEAR_OPTIONS.has(option)) throw unsupported(`the geoNear option ${option}`);
  const near = pointOf(spec.near);
  if (!near) throw invalid('geoNear near must be a GeoJSON Point');
  if (typeof spec.distanceField !== 'string' || !spec.distanceField) throw invalid('geoNear needs distanceField');
  // Several geo indexes would make `key` mandatory; the adapter always names it, so the emulator insists.
  if (typeof spec.key !== 'string' || !spec.key) throw invalid('geoNear needs key (the 2dsphere-indexed field)');
  if (spec.spherical !== undefined && spec.spherical !== true) throw unsupported('planar geoNear (spherical: false)');
  const minDistance = optionalNumber(spec, 'minDistance') ?? 0;
  const maxDistance = optionalNumber(spec, 'maxDistance') ?? Infinity;
  const limit = optionalNumber(spec, 'limit') ?? 100;
  const multiplier = optionalNumber(spec, 'distanceMultiplier') ?? 1;
  const query = spec.query ?? {};
  checkQuery(query);
  const key = spec.key;
  const distanceField = spec.distanceField;
  const includeLocs = spec.includeLocs;
  const hits: { doc: Doc; distance: number; order: number }[] = [];
  docs.forEach((doc, order) => {
    const location = valueAt(doc, key);
    const point = pointOf(location);
    if (!point || !matches(doc, query)) return;
    const distance = greatCircle(near, point);
    if (distance >= minDistance && distance <= maxDistance) hits.push({ doc, distance, order });
  });
  // Ties come back in no particular order in MongoDB; newest first here, so nothing relies on ids.
  hits.sort((a, b) => a.distance - b.distance || b.order - a.order);
  return hits.slice(0, Math.max(0, Math.floor(limit))).map(({ doc, distance }) => {
    const out = clone(doc);
    setPath(out, distanceField, distance * multiplier);
    if (typeof includeLocs === 'string') setPath(out, includeLocs, clone(valueAt(doc, key)!));
    return out;
  });
}

function evaluate(doc: Value, expression: Value): Value | undefined {
  if (typeof expression === 'string' && expression.startsWith('$')) return valueAt(doc, expression.slice(1));
  if (isOperatorObject(expression)) throw unsupported(`the expression ${Object.keys(expression)[0]}`);
  return expression;
}

function group(docs: Value[], spec: Value): Value[] {
  if (!isPlainObject(spec) || !('_id' in spec)) throw invalid('$group needs an _id');
  const accumulators = Object.entries(spec)
    .filter(([field]) => field !== '_id')
    .map(([field, accumulator]) => {
      if (!isOperatorObject(accumulator) || Object.keys(accumulator).length !== 1)
        throw invalid(`$group field ${field} needs one accumulator`);
      const [operator, expression] = Object.entries(accumulator)[0]!;
      if (!['$sum', '$max', '$min', '$avg', '$first', '$last'].includes(operator))
        throw unsupported(`the accumulator ${operator}`);
      return { field, operator, expression };
    });
  const groups = new Map<string, { key: Value; members: Value[] }>();
  for (const doc of docs) {
    const key = evaluate(doc, spec._id) ?? null;
    const id = stringifyEjson(key);
    const entry = groups.get(id) ?? { key, members: [] };
    entry.members.push(doc);
    groups.set(id, entry);
  }
  return [...groups.values()].map(({ key, members }) => {
    const out: { [key: string]: Value } = { _id: key };
    for (const { field, operator, expression } of accumulators) {
      const values = members.map((doc) => evaluate(doc, expression));
      const present = values.filter((value): value is Value => value !== undefined && value !== null);
      const numbers = present.filter((value): value is number => typeof value === 'number');
      switch (operator) {
        case '$sum':
          out[field] = numbers.reduce((total, value) => total + value, 0);
          break;
        case '$avg':
          out[field] = numbers.length ? numbers.reduce((total, value) => total + value, 0) / numbers.length : null;
          break;
        case '$max':
          out[field] = present.reduce<Value>(
            (best, value) => (best === null || compareValues(value, best) > 0 ? value : best),
            null,
          );
          break;
        case '$min':
          out[field] = present.reduce<Value>(
            (best, value) => (best === null || compareValues(value, best) < 0 ? value : best),
            null,
          );
          break;
        case '$first':
          out[field] = values[0] ?? null;
          break;
        case '$last':
          out[field] = values[values.length - 1] ?? null;
          break;
      }
    }
    return out;
  });
}

function aggregate(docs: Doc[], stages: { key: string; spec: Value }[]): Value[] {
  // stages never change their input rows in place, so the stored documents need no copy here
  let rows: Value[] = docs;
  for (const [index, { key, spec }] of stages.entries()) {
    switch (key) {
      case '$geoNear':
        if (index !== 0) throw new ApiError('DATABASE_REQUEST_FAILED', '$geoNear is only valid as the first stage');
        rows = geoNear(docs, spec);
        break;
      case '$match':
        checkQuery(spec);
        rows = rows.filter((row) => matches(row, spec));
        break;
      case '$group':
        rows = group(rows, spec);
        break;
      case '$sort':
        rows = sortDocs(rows, spec);
        break;
      case '$skip':
        if (typeof spec !== 'number') throw invalid('$skip needs a number');
        rows = rows.slice(spec);
        break;
      case '$limit':
        if (typeof spec !== 'number' || spec <= 0) throw invalid('$limit needs a positive number');
        rows = rows.slice(0, spec);
        break;
      case '$count':
        if (typeof spec !== 'string' || !spec) throw invalid('$count needs a field name');
        rows = rows.length ? [{ [spec]: rows.length }] : [];
        break;
      default:
        throw unsupported(`the aggregation stage ${key}`);
    }
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------
// The database

type Params = Record<string, unknown>;
type Answer = Record<string, unknown>;

interface Transaction {
  id: string;
  startedAt: number;
  /** The version of each document (collection/id) when this transaction first read or wrote it. */
  seen: Map<string, number>;
  /** Pending writes: the new document, or null for a deletion. */
  writes: Map<string, { collection: string; id: string; doc: Doc | null }>;
}

export interface DatabaseOptions {
  /** Writes to a collection that was never created fail, as on CloudBase (default); true creates it. */
  autoCreateCollections?: boolean;
  /** Also fail a commit when a document the transaction only read has changed (default true). */
  validateReads?: boolean;
  /** An abandoned transaction stops blocking others after this long (default 30 s). */
  transactionLifetimeMs?: number;
}

const keyOf = (collection: string, id: string) => `${collection}\u0000${id}`;

export class EmulatedDatabase {
  private readonly collections = new Map<string, Map<string, Doc>>();
  private readonly versions = new Map<string, number>();
  private readonly transactions = new Map<string, Transaction>();
  /** Transactions the database ended (a conflict, a failed write): the SDK may still send them an abort. */
  private readonly endedByError = new Set<string>();
  private sequence = 0;
  private transactionCount = 0;
  private idCount = 0;
  private forcedCommitConflicts = 0;

  constructor(private readonly options: DatabaseOptions = {}) {}

  reset(): void {
    this.collections.clear();
    this.versions.clear();
    this.transactions.clear();
    this.endedByError.clear();
    this.forcedCommitConflicts = 0;
  }

  /** The next `times` commits answer DATABASE_TRANSACTION_CONFLICT (and end their transaction). */
  conflictNextCommit(times = 1): void {
    this.forcedCommitConflicts += times;
  }

  createCollection(name: string): boolean {
    if (this.collections.has(name)) return false;
    this.collections.set(name, new Map());
    return true;
  }

  collectionNames(): string[] {
    return [...this.collections.keys()];
  }

  /** A copy of every document in a collection, in storage order. */
  documents(collection: string): Doc[] {
    return [...(this.collections.get(collection)?.values() ?? [])].map((doc) => clone(doc));
  }

  /** Stores a document as it is (a test's back door: e.g. one a WeChat client added, with `_openid`). */
  putDocument(collection: string, doc: Doc): void {
    this.commitWrite(collection, doc._id, clone(doc), true);
  }

  liveTransactions(): number {
    this.expireTransactions();
    return this.transactions.size;
  }

  /** Runs one `database.*` action; throws ApiError for an error answer. */
  handle(action: string, params: Params): Answer {
    const transactionId = typeof params.transactionId === 'string' ? params.transactionId : undefined;
    switch (action) {
      case 'database.addCollection': {
        const name = this.collectionName(params);
        if (!this.createCollection(name))
          throw new ApiError('DATABASE_COLLECTION_ALREADY_EXIST', `collection ${name} already exists`);
        return {};
      }
      case 'database.startTransaction': {
        const id = `emulated-tx-${++this.transactionCount}`;
        this.transactions.set(id, { id, startedAt: Date.now(), seen: new Map(), writes: new Map() });
        return { transactionId: id };
      }
      case 'database.commitTransaction':
        return this.commit(this.requireTransactionId(params));
      case 'database.abortTransaction':
        return this.abort(this.requireTransactionId(params));
      case 'database.getDocument':
        return transactionId ? this.getInTransaction(transactionId, params) : this.getDocuments(params);
      case 'database.insertDocument':
        return transactionId ? this.insertInTransaction(transactionId, params) : this.insert(params);
      case 'database.modifyDocument':
        return transactionId ? this.modifyInTransaction(transactionId, params) : this.modify(params);
      case 'database.removeDocument':
        return transactionId ? this.removeInTransaction(transactionId, params) : this.remove(params);
      case 'database.calculateDocument': {
        const query = parseQuery(params.query);
        return { data: { total: this.existing(params).filter((doc) => matches(doc, query)).length } };
      }
      case 'database.aggregateDocuments': {
        if (!Array.isArray(params.stages)) throw invalid('stages must be an array');
        const stages = params.stages.map((stage: unknown) => {
          const { stageKey, stageValue } = (stage ?? {}) as { stageKey?: unknown; stageValue?: unknown };
          if (typeof stageKey !== 'string') throw invalid('a stage needs a stageKey');
          return { key: stageKey, spec: parseEjson(stageValue, stageKey) };
        });
        return { data: { list: aggregate(this.existing(params), stages).map(stringifyEjson) } };
      }
      default:
        throw unsupported(`the action ${action}`);
    }
  }

  // --- plain operations ---------------------------------------------------------------------

  private collectionName(params: Params): string {
    const name = params.collectionName;
    if (typeof name !== 'string' || !name) throw invalid('collectionName is required');
    return name;
  }

  private collection(params: Params, forWrite = false): Map<string, Doc> {
    const name = this.collectionName(params);
    let found = this.collections.get(name);
    if (!found && forWrite && this.options.autoCreateCollections) {
      found = new Map();
      this.collections.set(name, found);
    }
    if (!found) throw new ApiError('DATABASE_COLLECTION_NOT_EXIST', `collection ${name} does not exist`);
    return found;
  }

  private existing(params: Params): Doc[] {
    return [...this.collection(params).values()];
  }

  private query(params: Params): Value {
    return parseQuery(params.query);
  }

  /** The `_id` of a single-document (queryType DOC) request. */
  private docId(params: Params): string {
    const query = this.query(params);
    if (
      params.queryType !== 'DOC' ||
      !isPlainObject(query) ||
      typeof query._id !== 'string' ||
      Object.keys(query).length !== 1
    )
      throw unsupported('a query other than { _id } here');
    return query._id;
  }

  private version(collection: string, id: string): number {
    return this.versions.get(keyOf(collection, id)) ?? 0;
  }

  /** A committed write: the one place documents change, so every change bumps the version. */
  private commitWrite(collection: string, id: string, doc: Doc | null, create = false): void {
    let docs = this.collections.get(collection);
    if (!docs && create) {
      docs = new Map();
      this.collections.set(collection, docs);
    }
    if (!docs) throw new ApiError('DATABASE_COLLECTION_NOT_EXIST', `collection ${collection} does not exist`);
    if (doc) docs.set(id, doc);
    else docs.delete(id);
    this.versions.set(keyOf(collection, id), ++this.sequence);
  }

  private duplicate(collection: string, id: string): ApiError {
    return new ApiError(
      'DATABASE_DUPLICATE_WRITE',
      `[ResourceUnavailable.DuplicateWrite] E11000 duplicate key error collection: ${collection} index: _id_ dup key: { _id: ${JSON.stringify(id)} }`,
    );
  }

  private newDocs(params: Params): Doc[] {
    if (!Array.isArray(params.data) || params.data.length === 0) throw invalid('data must be a non-empty array');
    return params.data.map((text, index) => {
      const doc = parseEjson(text, `data[${index}]`);
      if (!isPlainObject(doc)) throw invalid('a document must be an object');
      checkFieldNames(doc, 'document');
      if (doc._id === undefined)
        doc._id = `${Date.now().toString(16)}${(++this.idCount).toString(16).padStart(8, '0')}`;
      if (typeof doc._id !== 'string' || !doc._id) throw unsupported('a non-string _id');
      return doc as Doc;
    });
  }

  private getDocuments(params: Params): Answer {
    if (params.projection !== undefined) throw unsupported('projection');
    const query = this.query(params);
    let docs = this.existing(params).filter((doc) => matches(doc, query));
    if (params.order !== undefined) docs = sortDocs(docs, parseEjson(params.order, 'order'));
    const offset = params.offset === undefined ? 0 : Number(params.offset);
    const limit = params.limit === undefined ? 100 : Number(params.limit);
    if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw invalid('offset or limit out of range');
    return { data: { list: docs.slice(offset, offset + limit).map(stringifyEjson) } };
  }

  private insert(params: Params): Answer {
    const name = this.collectionName(params);
    const docs = this.collection(params, true);
    const insertedIds: string[] = [];
    // like MongoDB's ordered insert: stops at the first duplicate, keeps what came before
    for (const doc of this.newDocs(params)) {
      if (docs.has(doc._id)) throw this.duplicate(name, doc._id);
      this.commitWrite(name, doc._id, doc);
      insertedIds.push(doc._id);
    }
    return { data: { insertedIds } };
  }

  private replacementOrUpdate(params: Params, current: Doc | undefined, id: string): Doc {
    const data = parseEjson(params.data, 'data');
    if (params.merge === false) {
      if (!isPlainObject(data)) throw invalid('data must be an object');
      checkFieldNames(data, 'replacement');
      if (data._id !== undefined && data._id !== id)
        throw new ApiError('DATABASE_REQUEST_FAILED', 'the _id field cannot be changed');
      return { ...clone(data), _id: id } as Doc;
    }
    if (params.merge !== true) throw invalid('merge must be true or false');
    if (isPlainObject(data) && Object.keys(data).some((key) => !key.startsWith('$')))
      throw invalid('an update with merge: true takes update operators only');
    return applyUpdateSpec(current ?? ({ _id: id } as Doc), data);
  }

  private modify(params: Params): Answer {
    const name = this.collectionName(params);
    const docs = this.collection(params, params.upsert === true);
    const query = this.query(params);
    const targets = [...docs.values()].filter((doc) => matches(doc, query));
    const chosen = params.multi === true ? targets : targets.slice(0, 1);
    let updated = 0;
    for (const doc of chosen) {
      const next = this.replacementOrUpdate(params, doc, doc._id);
      // `updated` counts documents that changed, as MongoDB's nModified does
      if (!deepEqual(next, doc)) {
        this.commitWrite(name, doc._id, next);
        updated += 1;
      }
    }
    if (chosen.length === 0 && params.upsert === true) {
      const id = this.docId(params);
      this.commitWrite(name, id, this.replacementOrUpdate(params, undefined, id));
      return { data: { updated: 0, upsert_id: id } };
    }
    return { data: { updated } };
  }

  private remove(params: Params): Answer {
    const name = this.collectionName(params);
    const query = this.query(params);
    const targets = this.existing(params).filter((doc) => matches(doc, query));
    const chosen = params.multi === true ? targets : targets.slice(0, 1);
    for (const doc of chosen) this.commitWrite(name, doc._id, null);
    return { data: { deleted: chosen.length } };
  }

  // --- transactions -------------------------------------------------------------------------

  private requireTransactionId(params: Params): string {
    if (typeof params.transactionId !== 'string') throw invalid('transactionId is required');
    return params.transactionId;
  }

  private expireTransactions(): void {
    const lifetime = this.options.transactionLifetimeMs ?? 30_000;
    for (const transaction of this.transactions.values()) {
      if (Date.now() - transaction.startedAt > lifetime) this.transactions.delete(transaction.id);
    }
  }

  private transaction(id: string): Transaction {
    this.expireTransactions();
    const transaction = this.transactions.get(id);
    if (!transaction) throw new ApiError('DATABASE_TRANSACTION_FAIL', `transaction ${id} does not exist or has ended`);
    return transaction;
  }

  private conflict(transaction: Transaction, why: string): ApiError {
    this.end(transaction.id);
    return new ApiError('DATABASE_TRANSACTION_CONFLICT', `database transaction conflict: ${why}`);
  }

  /** What this transaction sees for a document: its own pending write, else the committed one. */
  private visible(transaction: Transaction, collection: string, id: string): Doc | undefined {
    const key = keyOf(collection, id);
    const pending = transaction.writes.get(key);
    if (pending) return pending.doc ? clone(pending.doc) : undefined;
    if (!transaction.seen.has(key)) transaction.seen.set(key, this.version(collection, id));
    const committed = this.collections.get(collection)?.get(id);
    return committed ? clone(committed) : undefined;
  }

  /** Checks a write may proceed (else the transaction ends in a conflict) and records it. */
  private stage(transaction: Transaction, collection: string, id: string, doc: Doc | null): void {
    const key = keyOf(collection, id);
    for (const other of this.transactions.values()) {
      if (other !== transaction && other.writes.has(key))
        throw this.conflict(transaction, `${collection}/${id} is being written by another transaction`);
    }
    const seen = transaction.seen.get(key);
    if (seen !== undefined && seen !== this.version(collection, id))
      throw this.conflict(transaction, `${collection}/${id} changed`);
    if (seen === undefined) transaction.seen.set(key, this.version(collection, id));
    transaction.writes.set(key, { collection, id, doc });
  }

  private end(transactionId: string): void {
    this.transactions.delete(transactionId);
    this.endedByError.add(transactionId);
  }

  /** Any error inside a transaction ends it, as in MongoDB. */
  private inTransaction(transactionId: string, work: (transaction: Transaction) => Answer): Answer {
    const transaction = this.transaction(transactionId);
    try {
      return work(transaction);
    } catch (error) {
      this.end(transactionId);
      throw error;
    }
  }

  private getInTransaction(transactionId: string, params: Params): Answer {
    return this.inTransaction(transactionId, (transaction) => {
      if (params.queryType !== 'DOC')
        throw unsupported('queries inside a transaction (CloudBase would run them outside it)');
      const name = this.collectionName(params);
      this.collection(params);
      const doc = this.visible(transaction, name, this.docId(params));
      return { data: { list: doc ? [stringifyEjson(doc)] : [] } };
    });
  }

  private insertInTransaction(transactionId: string, params: Params): Answer {
    return this.inTransaction(transactionId, (transaction) => {
      const name = this.collectionName(params);
      this.collection(params, true);
      const docs = this.newDocs(params);
      for (const doc of docs) {
        if (this.visible(transaction, name, doc._id)) throw this.duplicate(name, doc._id);
        this.stage(transaction, name, doc._id, doc);
      }
      return { data: { insertedIds: docs.map((doc) => doc._id) } };
    });
  }

  private modifyInTransaction(transactionId: string, params: Params): Answer {
    return this.inTransaction(transactionId, (transaction) => {
      const name = this.collectionName(params);
      this.collection(params, params.upsert === true);
      const id = this.docId(params);
      const current = this.visible(transaction, name, id);
      if (!current && params.upsert !== true) return { data: { updated: 0 } };
      const next = this.replacementOrUpdate(params, current, id);
      if (current && deepEqual(next, current)) return { data: { updated: 0 } };
      this.stage(transaction, name, id, next);
      return current ? { data: { updated: 1 } } : { data: { updated: 0, upsert_id: id } };
    });
  }

  private removeInTransaction(transactionId: string, params: Params): Answer {
    return this.inTransaction(transactionId, (transaction) => {
      const name = this.collectionName(params);
      this.collection(params);
      const id = this.docId(params);
      if (!this.visible(transaction, name, id)) return { data: { deleted: 0 } };
      this.stage(transaction, name, id, null);
      return { data: { deleted: 1 } };
    });
  }

  private commit(transactionId: string): Answer {
    const transaction = this.transaction(transactionId);
    if (this.forcedCommitConflicts > 0) {
      this.forcedCommitConflicts -= 1;
      throw this.conflict(transaction, 'forced by the test');
    }
    const validateReads = this.options.validateReads ?? true;
    for (const [key, version] of transaction.seen) {
      if (!validateReads && !transaction.writes.has(key)) continue;
      const [collection, id] = key.split('\u0000') as [string, string];
      if (this.version(collection, id) !== version) throw this.conflict(transaction, `${collection}/${id} changed`);
    }
    for (const { collection, id, doc } of transaction.writes.values()) this.commitWrite(collection, id, doc, true);
    this.transactions.delete(transactionId);
    return {};
  }

  private abort(transactionId: string): Answer {
    if (this.endedByError.has(transactionId)) return {};
    this.transaction(transactionId);
    this.transactions.delete(transactionId);
    return {};
  }
}
