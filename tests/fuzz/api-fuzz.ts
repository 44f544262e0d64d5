import fc from 'fast-check';
import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../server/app.js';
import { ORIGIN } from '../helpers/member-flow.js';

/**
 * Generated requests against every route of the OpenAPI document (built from the routes' own
 * schemas): valid-shaped bodies derived from each body schema, and hostile ones (wrong types, extra
 * keys, prototype keys, huge strings, unicode edge cases, missing fields, random JSON, broken JSON),
 * with generated path and query parameters. Each answer must be below 500, and every 4xx must be
 * the one error shape `{ error: { code, message, details? } }`. Used by `npm run fuzz` (thousands
 * per route and role) and by a smaller run in the integration suite.
 */

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
};

interface Operation {
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface FuzzRoute {
  method: string;
  /** The OpenAPI path, `{param}` style. */
  path: string;
  pathParams: { name: string; schema: Schema }[];
  queryParams: { name: string; schema: Schema }[];
  body: Schema | null;
}

/** Every /api operation of the app's OpenAPI document, `$ref`s resolved. */
export function fuzzRoutes(app: App): FuzzRoute[] {
  const doc = app.swagger() as {
    paths: Record<string, Record<string, Operation>>;
    components?: { schemas?: Record<string, Schema> };
  };
  const refs = doc.components?.schemas ?? {};
  const resolve = (schema: Schema | undefined, depth = 0): Schema => {
    if (!schema || depth > 20) return {};
    if (schema.$ref) return resolve(refs[schema.$ref.replace('#/components/schemas/', '')], depth + 1);
    const out: Schema = { ...schema };
    if (schema.properties) {
      out.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([k, v]) => [k, resolve(v, depth + 1)]),
      );
    }
    if (schema.items) out.items = resolve(schema.items, depth + 1);
    for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
      const list = schema[key];
      if (list) out[key] = list.map((s) => resolve(s, depth + 1));
    }
    return out;
  };
  const routes: FuzzRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    if (!path.startsWith('/api/')) continue;
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json'];
      routes.push({
        method: method.toUpperCase(),
        path,
        pathParams: params
          .filter((p) => p.in === 'path')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        queryParams: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: resolve(p.schema) })),
        body: json ? resolve(json.schema) : null,
      });
    }
  }
  return routes;
}

/** Strings that break naive code: control and invisible characters, lone surrogates, long, RTL. */
const EDGE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF',
  '\u202Eevil',
  '\u200B\u200C\u200D\uFEFF',
  'e\u0301\u0301\u0301',
  '👨‍👩‍👧‍👦',
  '\r\n\r\nX-Injected: 1',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a template-injection probe, sent as it is
  '${7*7}{{7*7}}',
  '../../etc/passwd',
  '%00%2e%2e%2f',
  '__proto__',
  'constructor',
  'prototype',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '9007199254740993',
  'IT60X0542811101000000123456',
  'RSSMRA80A01H501U',
] as const;

const edgeString = fc.oneof(
  fc.constantFrom(...EDGE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 1_000, max: 200_000 }).map((n) => 'x'.repeat(n)),
);

const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  edgeString,
  fc.constantFrom(null, true, false, 0, -1, 1.5, -1e308, 2 ** 53 + 2, [], {}, [null], { a: 1 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** A string for `pattern`, when fast-check can read it (look-aheads are taken out first). */
function patternString(pattern: string): fc.Arbitrary<string> | null {
  const cleaned = pattern.replace(/\(\?![^)]*\)\)?/g, '').replace(/\(\?!\(\?:[^)]*\)\$\)/g, '');
  try {
    return fc.stringMatching(new RegExp(cleaned));
  } catch {
    return null;
  }
}

function stringFor(schema: Schema): fc.Arbitrary<string> {
  if (schema.format === 'date' || schema.pattern === '^\\d{4}-\\d{2}-\\d{2}$') {
    return fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
  }
  if (schema.format === 'date-time') {
    return fc
      .date({
        min: new Date('2020-01-01T00:00:00Z'),
        max: new Date('2028-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  }
  if (schema.format === 'email') return fc.emailAddress();
  if (schema.format === 'uuid') return fc.uuid();
  if (schema.pattern) {
    const matching = patternString(schema.pattern);
    if (matching) return matching;
  }
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 30, 200),
  });
}

/** Values of the schema's shape (mostly valid; never guaranteed: the app is the judge). */
export function shaped(schema: Schema, depth = 0): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((s) => shaped(s, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0) return shaped(Object.assign({}, ...schema.allOf), depth + 1);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) {
    return fc.oneof(...types.map((type) => shaped({ ...schema, type }, depth + 1)));
  }
  switch (types[0]) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 10_000_000, Number.MAX_SAFE_INTEGER),
      });
    case 'number':
      return fc.double({
        min: schema.minimum ?? -1e9,
        max: schema.maximum ?? 1e9,
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'string':
      return stringFor(schema);
    case 'array':
      return fc.array(shaped(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 6),
      });
    case 'object': {
      const properties = schema.properties ?? {};
      const model = Object.fromEntries(Object.entries(properties).map(([k, s]) => [k, shaped(s, depth + 1)]));
      return fc.record(model, { requiredKeys: (schema.required ?? []).filter((k) => k in properties) });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A body as text: shaped, shaped then broken in one place, or not the shape at all. */
export function bodyText(schema: Schema): fc.Arbitrary<string> {
  const valid = shaped(schema).map((v) => JSON.stringify(v) ?? 'null');
  const broken = fc
    .tuple(shaped(schema), fc.nat(), wrongValue, fc.constantFrom('replace', 'drop', 'extra', 'proto'))
    .map(([value, pick, wrong, how]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return JSON.stringify(wrong) ?? '';
      const record = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(schema.properties ?? record);
      const key = keys.length > 0 ? (keys[pick % keys.length] as string) : 'x';
      if (how === 'replace') record[key] = wrong;
      else if (how === 'drop') delete record[key];
      else if (how === 'extra') record[`extra_${pick % 7}`] = wrong;
      else {
        // A prototype key must be written as text: an object literal would set the prototype.
        const text = JSON.stringify(record);
        const proto = ['__proto__', 'constructor', 'prototype'][pick % 3];
        return text === '{}' ? `{"${proto}":{"polluted":1}}` : `{"${proto}":{"polluted":1},${text.slice(1)}`;
      }
      return JSON.stringify(record);
    });
  const random = fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null');
  const malformed = fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'nul',
    '{"a":1}}',
    '\u0000',
    '{"a":"\\ud800"}',
    '1e999',
  );
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    { weight: 4, arbitrary: broken },
    { weight: 1, arbitrary: random },
    { weight: 1, arbitrary: malformed },
  );
}

const paramValue = (schema: Schema): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: shaped(schema).map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
    },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: edgeString.map((s) => s.slice(0, 3000)) },
  );

/** Percent-encoding of any string: a lone surrogate (no UTF-8 form) becomes U+FFFD, as a browser sends it. */
const enc = (value: string) =>
  encodeURIComponent(
    value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );

export interface FuzzRequest {
  url: string;
  payload?: string;
}

/** Requests for one route: its path and query parameters generated, a body when it takes one. */
export function requestsFor(route: FuzzRoute, count: number, seed: number): FuzzRequest[] {
  const path = fc.tuple(...route.pathParams.map((p) => paramValue(p.schema))).map((values) => {
    let url = route.path;
    route.pathParams.forEach((p, i) => {
      url = url.replace(`{${p.name}}`, enc(values[i] ?? ''));
    });
    return url;
  });
  const query = fc
    .tuple(
      fc.subarray(route.queryParams),
      fc.array(fc.constantFrom('__proto__', 'constructor[prototype]', 'x', 'a[b][c]'), { maxLength: 2 }),
    )
    .chain(([params, stray]) =>
      fc.tuple(fc.tuple(...params.map((p) => paramValue(p.schema))), fc.constant(params), fc.constant(stray)),
    )
    .map(([values, params, stray]) => {
      const parts = params.map((p, i) => `${encodeURIComponent(p.name)}=${enc(values[i] ?? '')}`);
      for (const name of stray) parts.push(`${name}=1`);
      return parts.length > 0 ? `?${parts.join('&')}` : '';
    });
  const body = route.body ? bodyText(route.body).map((b) => b as string | undefined) : fc.constant(undefined);
  const request = fc.tuple(path, query, body).map(([p, q, b]) => ({
    url: `${p}${q}`,
    ...(b === undefined ? {} : { payload: b }),
  }));
  return fc.sample(request, { numRuns: count, seed });
}

export interface RouteReport {
  route: string;
  role: string;
  requests: number;
  ok: number;
  client: number;
  server: number;
  /** 4xx answers that were not the one error shape. */
  badShape: number;
  /** The first few problems, to reproduce them. */
  examples: string[];
}

/** Whether a 4xx body is the one error shape. */
export function isErrorShape(response: LightMyRequestResponse): boolean {
  let body: unknown;
  try {
    body = response.json();
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null) return false;
  const error = (body as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message, details } = error as { code?: unknown; message?: unknown; details?: unknown };
  return (
    typeof code === 'string' &&
    /^[A-Z][A-Z0-9_]*$/.test(code) &&
    typeof message === 'string' &&
    message.length > 0 &&
    (details === undefined || Array.isArray(details))
  );
}

let address = 0;
/** A different client address per request, so per-address rate limits do not hide the handlers. */
const nextAddress = () => {
  address = (address + 1) % 65_000;
  return `10.${(address >> 8) & 255}.${address & 255}.7`;
};

/** Sends `count` generated requests to `route` as `role` (its cookie, or none). */
export async function fuzzRoute(
  app: App,
  route: FuzzRoute,
  role: string,
  cookie: string | undefined,
  count: number,
  seed: number,
): Promise<RouteReport> {
  const report: RouteReport = {
    route: `${route.method} ${route.path}`,
    role,
    requests: 0,
    ok: 0,
    client: 0,
    server: 0,
    badShape: 0,
    examples: [],
  };
  for (const request of requestsFor(route, count, seed)) {
    const response = await app.inject({
      method: route.method as 'GET',
      url: request.url,
      remoteAddress: nextAddress(),
      headers: {
        ...ORIGIN,
        ...(cookie ? { cookie } : {}),
        ...(request.payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(request.payload === undefined ? {} : { payload: request.payload }),
    });
    report.requests += 1;
    const status = response.statusCode;
    const example = () =>
      `${status} ${route.method} ${request.url.slice(0, 300)} ${(request.payload ?? '').slice(0, 300)} → ${response.body.slice(0, 300)}`;
    if (status >= 500) {
      report.server += 1;
      if (report.examples.length < 5) report.examples.push(example());
    } else if (status >= 400) {
      report.client += 1;
      if (!isErrorShape(response)) {
        report.badShape += 1;
        if (report.examples.length < 5) report.examples.push(example());
      }
    } else {
      report.ok += 1;
    }
  }
  return report;
}
