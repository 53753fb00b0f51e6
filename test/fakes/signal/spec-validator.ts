// A small Swagger 2.0 validator for the fake signal-cli-rest-api: checks each request against the spec's paths
// (path + method exist, required path/query/body params present, query types, body properties typed per the
// referenced definition, enums). Strict on purpose: unknown query params and unknown body properties count as
// violations, so a typo in the client (`target_Author`) shows up in tests even though Go would ignore it.
import { readFileSync } from 'node:fs';

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  additionalProperties?: Schema | boolean;
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'body' | 'header' | 'formData';
  required?: boolean;
  type?: string;
  schema?: Schema;
}

interface Operation {
  parameters?: Parameter[];
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  definitions: Record<string, Schema>;
}

export interface SpecRequest {
  method: string;
  /** The decoded path, e.g. `/v1/receive/+15550000001`. */
  path: string;
  query: Record<string, string>;
  /** The parsed JSON body, or undefined when there was none. */
  body: unknown;
}

interface Route {
  template: string;
  segments: string[];
  operations: Record<string, Operation>;
}

export const SWAGGER_0_100 = new URL(
  '../../../../shared/fixtures/signal-cli-rest-api/swagger-0.100.json',
  import.meta.url,
);
/** Master a08db23: the same requests; GroupEntry gains `member`. */
export const SWAGGER_MASTER = new URL(
  '../../../../shared/fixtures/signal-cli-rest-api/swagger-master-a08db23.json',
  import.meta.url,
);

export class SpecValidator {
  private readonly routes: Route[];
  private readonly definitions: Record<string, Schema>;

  constructor(spec: Spec) {
    this.definitions = spec.definitions;
    this.routes = Object.entries(spec.paths).map(([template, operations]) => ({
      template,
      segments: template.split('/').filter((s) => s !== ''),
      operations,
    }));
  }

  static fromFile(file: URL | string = SWAGGER_0_100): SpecValidator {
    return new SpecValidator(JSON.parse(readFileSync(file, 'utf8')) as Spec);
  }

  /** Every way the request breaks the spec; [] when it conforms. */
  validate(request: SpecRequest): string[] {
    const where = `${request.method} ${request.path}`;
    const match = this.match(request.path);
    if (match === undefined) return [`${where}: no such path in the spec`];
    const operation = match.route.operations[request.method.toLowerCase()];
    if (operation === undefined)
      return [`${where}: ${request.method} is not defined for ${match.route.template}`];
    const problems: string[] = [];
    const params = operation.parameters ?? [];
    for (const p of params.filter((x) => x.in === 'path')) {
      if (p.required === true && (match.params[p.name] ?? '') === '')
        problems.push(`path parameter ${p.name} is empty`);
    }
    const queryParams = new Map(params.filter((x) => x.in === 'query').map((x) => [x.name, x]));
    for (const [name, value] of Object.entries(request.query)) {
      const p = queryParams.get(name);
      if (p === undefined) problems.push(`query parameter ${name} is not in the spec`);
      else problems.push(...checkQueryType(name, value, p.type));
    }
    for (const p of queryParams.values()) {
      if (p.required === true && request.query[p.name] === undefined)
        problems.push(`query parameter ${p.name} is required`);
    }
    const bodyParam = params.find((x) => x.in === 'body');
    if (bodyParam === undefined) {
      if (request.body !== undefined) problems.push('a body was sent but the operation takes none');
    } else if (request.body === undefined) {
      if (bodyParam.required === true && request.method !== 'GET') problems.push('the body is required');
    } else if (bodyParam.schema !== undefined) {
      problems.push(...this.checkSchema(request.body, bodyParam.schema, 'body'));
    }
    return problems.map((p) => `${request.method} ${match.route.template}: ${p}`);
  }

  private match(path: string): { route: Route; params: Record<string, string> } | undefined {
    const parts = path.split('/').filter((s) => s !== '');
    let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
    for (const route of this.routes) {
      if (route.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let literals = 0;
      let ok = true;
      route.segments.forEach((segment, i) => {
        const part = parts[i] ?? '';
        const name = /^\{(.+)\}$/.exec(segment)?.[1];
        if (name !== undefined) params[name] = part;
        else if (segment === part) literals += 1;
        else ok = false;
      });
      if (ok && (best === undefined || literals > best.literals)) best = { route, params, literals };
    }
    return best;
  }

  private resolve(schema: Schema): Schema {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/definitions/', '');
    const resolved = this.definitions[name];
    if (resolved === undefined) throw new Error(`spec: unknown $ref ${schema.$ref}`);
    return this.resolve(resolved);
  }

  private checkSchema(value: unknown, raw: Schema, at: string): string[] {
    const schema = this.resolve(raw);
    if (schema.enum !== undefined && !schema.enum.includes(value)) {
      return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
    }
    const type = schema.type ?? (schema.properties !== undefined ? 'object' : undefined);
    switch (type) {
      case 'string':
        return typeof value === 'string' ? [] : [`${at}: expected a string, got ${describe(value)}`];
      case 'integer':
        return Number.isInteger(value) ? [] : [`${at}: expected an integer, got ${describe(value)}`];
      case 'number':
        return typeof value === 'number' ? [] : [`${at}: expected a number, got ${describe(value)}`];
      case 'boolean':
        return typeof value === 'boolean' ? [] : [`${at}: expected a boolean, got ${describe(value)}`];
      case 'array': {
        if (!Array.isArray(value)) return [`${at}: expected an array, got ${describe(value)}`];
        const items = schema.items;
        return items === undefined ? [] : value.flatMap((v, i) => this.checkSchema(v, items, `${at}[${i}]`));
      }
      case 'object': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          return [`${at}: expected an object, got ${describe(value)}`];
        }
        const record = value as Record<string, unknown>;
        const problems: string[] = [];
        for (const name of schema.required ?? []) {
          if (record[name] === undefined) problems.push(`${at}.${name} is required`);
        }
        for (const [name, v] of Object.entries(record)) {
          const property = schema.properties?.[name];
          if (property !== undefined) problems.push(...this.checkSchema(v, property, `${at}.${name}`));
          else if (typeof schema.additionalProperties === 'object') {
            problems.push(...this.checkSchema(v, schema.additionalProperties, `${at}.${name}`));
          } else if (schema.properties !== undefined) problems.push(`${at}.${name} is not in the spec`);
        }
        return problems;
      }
      default:
        return [];
    }
  }
}

function checkQueryType(name: string, value: string, type: string | undefined): string[] {
  if (type === 'boolean' && value !== 'true' && value !== 'false') {
    return [`query parameter ${name} must be true or false, got "${value}"`];
  }
  if (type === 'integer' && !/^-?\d+$/.test(value))
    return [`query parameter ${name} must be an integer, got "${value}"`];
  return [];
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? `the string ${JSON.stringify(value.slice(0, 40))}` : typeof value;
}
