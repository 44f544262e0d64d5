import { createHash } from 'node:crypto';
import { type Compilable, type CompiledQuery, createQueryId, type Kysely, PostgresAdapter } from 'kysely';

/**
 * Queries built and compiled once, run many times with new values (decision 059).
 *
 * Kysely builds a query as a tree of frozen nodes and compiles it to SQL on every call. For the
 * short queries behind each member request (the session, the account, the family, the claims list)
 * that building took about a quarter of the request's time, more than SQLite took to answer them
 * (`npm run bench:api`, CPU profile). A prepared query is written with the query builder as usual,
 * from a parameters object; the first call of each shape builds it with placeholders in place of
 * the values, compiles it, and keeps the SQL; later calls only put their values in the placeholders'
 * places.
 *
 * The rule that keeps this correct: **the query may depend on which parameters are given (present
 * or undefined) and on the length of an array parameter, never on a value.** The shape (which are
 * present, each array's length) is the cache key. A placeholder refuses to become text (a template
 * string or concatenation throws), and a value given but absent from the compiled parameters
 * throws: a value must reach the query as a value, never change its SQL.
 */
export type Params = Record<string, unknown>;

const MAX_SHAPES = 64;

/**
 * PostgreSQL: the SQL of prepared queries that may run as named (server-side prepared) statements,
 * with their names. A named statement is parsed and planned once per connection instead of on
 * every call. Only SQL that names its columns qualifies: a `select *` prepared on a connection
 * fails with "cached plan must not change result type" once a migration adds a column to the
 * table, which on a rolling deploy happens under the old instances' feet.
 */
const statementNames = new Map<string, string>();
const STAR = /(?<!count\()\*/;

/** The name of the statement to prepare for this SQL, if it is a prepared query's (see above). */
export function statementName(text: string): string | undefined {
  return statementNames.get(text);
}

/**
 * Every column of a table, checked against its type: a column added to the table's type and
 * missing here fails to compile. For queries that must name their columns (see above).
 */
export function columnsOf<T>() {
  return <const C extends readonly (keyof T & string)[]>(
    columns: C &
      ([Exclude<keyof T, C[number]>] extends [never] ? unknown : { missing: Exclude<keyof T, C[number]> }),
  ): C => columns;
}

class Placeholder {
  constructor(
    readonly name: string,
    readonly index?: number,
  ) {}
  toString(): never {
    throw new Error(`prepared query: parameter ${this.name} used as text; pass the computed value instead`);
  }
  [Symbol.toPrimitive](): never {
    throw new Error(`prepared query: parameter ${this.name} used as a primitive; pass the computed value`);
  }
}

interface Compiled {
  sql: string;
  query: CompiledQuery['query'];
  /** For each compiled parameter: a constant, or where its value comes from. */
  slots: ({ constant: unknown } | { name: string; index?: number })[];
}

function shapeOf(params: Params): string {
  let key = '';
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (value === undefined) continue;
    key += Array.isArray(value) ? `${name}[${value.length}];` : `${name};`;
  }
  return key;
}

function placeholders(params: Params): Params {
  const out: Params = {};
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined) out[name] = undefined;
    else if (Array.isArray(value)) out[name] = value.map((_, i) => new Placeholder(name, i));
    else out[name] = new Placeholder(name);
  }
  return out;
}

function compile<DB, P extends object>(
  db: Kysely<DB>,
  build: (db: Kysely<DB>, p: P) => Compilable,
  params: P,
) {
  const compiled = build(db, placeholders(params as Params) as P).compile();
  const used = new Set<string>();
  const slots = compiled.parameters.map((value) => {
    if (!(value instanceof Placeholder)) return { constant: value };
    used.add(value.index === undefined ? value.name : `${value.name}[${value.index}]`);
    return value.index === undefined ? { name: value.name } : { name: value.name, index: value.index };
  });
  for (const [name, value] of Object.entries(params as Params)) {
    if (value === undefined) continue;
    const names = Array.isArray(value) ? value.map((_, i) => `${name}[${i}]`) : [name];
    for (const n of names)
      if (!used.has(n)) throw new Error(`prepared query: parameter ${n} is not a value of the query`);
  }
  return { sql: compiled.sql, query: compiled.query, slots };
}

/** A query written once with the builder, compiled once per shape and dialect. */
export function preparedQuery<DB, P extends object, R>(build: (db: Kysely<DB>, p: P) => Compilable<R>) {
  // Compiled SQL by shape, for each dialect: a transaction shares its database's adapter.
  const byAdapter = new WeakMap<object, Map<string, Compiled>>();
  const compiledFor = (db: Kysely<DB>, params: P): CompiledQuery<R> => {
    const adapter = db.getExecutor().adapter;
    let byShape = byAdapter.get(adapter);
    if (!byShape) {
      byShape = new Map();
      byAdapter.set(adapter, byShape);
    }
    const shape = shapeOf(params as Params);
    let compiled = byShape.get(shape);
    if (!compiled) {
      compiled = compile(db, build, params);
      // Shapes are few (which filters, how many family members); past the cap, compile each time,
      // unnamed (so the statements kept on each connection stay bounded too).
      if (byShape.size < MAX_SHAPES) {
        byShape.set(shape, compiled);
        if (adapter instanceof PostgresAdapter && !STAR.test(compiled.sql))
          statementNames.set(
            compiled.sql,
            `p_${createHash('sha256').update(compiled.sql).digest('hex').slice(0, 24)}`,
          );
      }
    }
    const parameters = compiled.slots.map((slot) => {
      if ('constant' in slot) return slot.constant;
      const value = (params as Params)[slot.name];
      return slot.index === undefined ? value : (value as unknown[])[slot.index];
    });
    return { sql: compiled.sql, query: compiled.query, queryId: createQueryId(), parameters };
  };
  return {
    compiled: compiledFor,
    async execute(db: Kysely<DB>, params: P): Promise<R[]> {
      return (await db.executeQuery(compiledFor(db, params))).rows;
    },
    async executeTakeFirst(db: Kysely<DB>, params: P): Promise<R | undefined> {
      return (await db.executeQuery(compiledFor(db, params))).rows[0];
    },
  };
}
