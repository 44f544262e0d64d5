import type { LightMyRequestResponse } from 'fastify';
import type { App } from '../../server/app.js';
import { ORIGIN } from './member-flow.js';

/** Names that reach an object's prototype when used as a key of a plain object. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype'] as const;

/**
 * JSON bodies whose keys are those names, written as text: a JavaScript object literal with a
 * `__proto__` key would set its prototype instead of sending the key.
 */
export const PROTOTYPE_KEY_BODIES = [
  '{"__proto__":{"polluted":"yes"}}',
  '{"constructor":{"prototype":{"polluted":"yes"}}}',
  '{"prototype":{"polluted":"yes"}}',
  '{"a":{"__proto__":{"polluted":"yes"},"constructor":{"polluted":"yes"},"prototype":{"polluted":"yes"}}}',
];

/** Numbers JSON and query strings can carry that are not finite once read. */
export const NON_FINITE_TEXTS = ['Infinity', '-Infinity', '1e999', '-1e999', 'NaN'] as const;

/** What a prototype looks like before anything ran: compared afterwards. */
export function prototypeSnapshot(): string {
  return JSON.stringify(
    [Object.prototype, Array.prototype, Function.prototype].map((p) =>
      Object.getOwnPropertyNames(p)
        .sort()
        .map((name) => [name, typeof Object.getOwnPropertyDescriptor(p, name)?.value]),
    ),
  );
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: { type?: string } }[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
}

export interface ProbeRoute {
  method: string;
  /** The Fastify path, `:param` style. */
  url: string;
  pathParams: string[];
  queryParams: string[];
  /** The query parameters that are numbers (or integers). */
  numericQueryParams: string[];
  /** The top-level fields of a JSON body; null when the route takes no JSON body. */
  bodyFields: string[] | null;
}

/** Every /api route of the OpenAPI document (built from the routes' own schemas), with its inputs. */
export function apiRoutes(app: App): ProbeRoute[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const routes: ProbeRoute[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const params = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json'];
      routes.push({
        method: method.toUpperCase(),
        url: path.replace(/\{(\w+)\}/g, ':$1'),
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: params.filter((p) => p.in === 'query').map((p) => p.name),
        numericQueryParams: params
          .filter((p) => p.in === 'query' && (p.schema?.type === 'number' || p.schema?.type === 'integer'))
          .map((p) => p.name),
        bodyFields: json ? Object.keys(json.schema?.properties ?? {}) : null,
      });
    }
  }
  return routes;
}

/**
 * The requests of a probe on one route: each prototype name as every path parameter, as every
 * query parameter, as the value of every body field, and as keys of the body.
 */
export async function probeRoute(
  app: App,
  route: ProbeRoute,
  cookie: string | undefined,
): Promise<{ label: string; status: number; response: LightMyRequestResponse }[]> {
  const headers = { ...ORIGIN, ...(cookie ? { cookie } : {}) };
  const answers: { label: string; status: number; response: LightMyRequestResponse }[] = [];
  const send = async (label: string, url: string, payload?: string) => {
    const response = await app.inject({
      method: route.method as 'GET',
      url,
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload }),
    });
    answers.push({ label: `${route.method} ${route.url} ${label}`, status: response.statusCode, response });
  };
  const pathWith = (value: string) =>
    route.url.replace(/:(\w+)/g, (_m, name: string) =>
      route.pathParams.includes(name) ? encodeURIComponent(value) : 'x',
    );
  const plainPath = pathWith('00000000-0000-7000-8000-000000000000');
  const someBody = route.bodyFields ? '{}' : undefined;
  for (const name of PROTOTYPE_NAMES) {
    if (route.pathParams.length > 0) await send(`path=${name}`, pathWith(name), someBody);
    if (route.queryParams.length > 0) {
      const query = route.queryParams.map((q) => `${q}=${encodeURIComponent(name)}`).join('&');
      await send(`query values=${name}`, `${plainPath}?${query}`, someBody);
      await send(`query key=${name}`, `${plainPath}?${name}=1&${name}[x]=1`, someBody);
    }
    if (route.bodyFields) {
      const values = Object.fromEntries(route.bodyFields.map((f) => [f, name]));
      await send(`body values=${name}`, plainPath, JSON.stringify(values));
      const nested = Object.fromEntries(route.bodyFields.map((f) => [f, { [name]: name }]));
      await send(`body nested=${name}`, plainPath, JSON.stringify(nested));
    }
  }
  if (route.bodyFields) {
    for (const body of PROTOTYPE_KEY_BODIES) await send(`body ${body}`, plainPath, body);
  }
  return answers;
}
