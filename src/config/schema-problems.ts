import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { closest, expected, type ConfigProblem } from './config-error.js';

/** oplens.schema.json, at the package root beside dist/ and src/. */
export const SCHEMA_FILE = new URL('../../oplens.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

/**
 * The schema compiled once, on first use. Ajv is loaded only then (through require, it is CommonJS), so that
 * commands run without a config file do not pay for it at start-up.
 */
function validator(): ValidateFunction {
  if (!compiled) {
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: true, verbose: true, strictTypes: false });
    // The schema's own annotation: how an error at that place is worded ("a fraction between 0 and 1").
    ajv.addKeyword({ keyword: 'x-expected', schemaType: 'string' });
    compiled = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  }
  return compiled;
}

/** Everything the schema finds wrong with a config, each with its key path, the value and what was expected. */
export function schemaProblems(raw: unknown): ConfigProblem[] {
  const validate = validator();
  if (validate(raw)) return [];
  const seen = new Set<string>();
  const out: ConfigProblem[] = [];
  for (const e of validate.errors ?? []) {
    const p = describe(e);
    if (!p || seen.has(p.path + p.text)) continue;
    seen.add(p.path + p.text);
    out.push(p);
  }
  return out;
}

type Schema = { properties?: Record<string, Schema>; 'x-expected'?: string; [k: string]: unknown };

function describe(e: ErrorObject): ConfigProblem | null {
  // The branches of anyOf and the condition of if/then are reported by the anyOf and then errors themselves.
  if (e.keyword === 'if' || /\/anyOf\/\d+\//.test(e.schemaPath)) return null;
  const at = keyPath(e.instancePath);
  const schema = (e.parentSchema ?? {}) as Schema;
  const say = schema['x-expected'];
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const known = Object.keys(schema.properties ?? {});
      const near = closest(key, known);
      return { path: join(at, key), text: 'unknown key', hint: near ? `did you mean "${near}"?` : `known keys: ${known.join(', ')}` };
    }
    case 'required': {
      const key = String(params.missingProperty);
      return expected(join(at, key), schema.properties?.[key]?.['x-expected'] ?? 'a value (it is required)', undefined);
    }
    case 'dependencies':
      return expected(join(at, String(params.missingProperty)), `a value (${join(at, String(params.property))} needs it)`, undefined);
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const near = typeof e.data === 'string' ? closest(e.data, allowed) : undefined;
      return expected(at, `one of ${allowed.join(', ')}`, e.data, near ? `did you mean "${near}"?` : undefined);
    }
    case 'type':
      return expected(at, say ?? TYPES[String(params.type)] ?? `a ${params.type}`, e.data);
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return expected(at, say ?? `a number ${params.comparison} ${params.limit}`, e.data);
    case 'not': {
      // "not these keys together": named at the last of them.
      const keys = (schema.not as Schema | undefined)?.required as string[] | undefined;
      return keys ? expected(join(at, keys.at(-1)!), say ?? `no ${keys.at(-1)} here`, (e.data as Record<string, unknown>)[keys.at(-1)!]) : expected(at, say ?? 'another shape', e.data);
    }
    case 'maxProperties':
      return expected(at, `at most ${params.limit} keys`, `${Object.keys(e.data as object).length} keys`);
    case 'anyOf': {
      // "one of these keys is required": named at the first of them, as a missing key is.
      const keys = (schema.anyOf as Schema[]).map((b) => (b.required as string[] | undefined)?.[0]);
      if (keys.every(Boolean)) return expected(join(at, keys[0]!), say ?? `one of ${keys.join(', ')}`, undefined);
      return expected(at, say ?? 'one of the documented shapes', e.data);
    }
    default:
      return expected(at, say ?? e.message ?? e.keyword, e.data);
  }
}

const TYPES: Record<string, string> = {
  number: 'a number', integer: 'a whole number', string: 'a string', object: 'an object', array: 'an array', boolean: 'true or false',
};

/** `/thresholds/0/warning` → `thresholds[0].warning`. */
function keyPath(pointer: string): string {
  if (pointer === '') return '(top level)';
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, s) => (/^\d+$/.test(s) ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');
}

function join(parent: string, key: string): string {
  return parent === '(top level)' ? key : `${parent}.${key}`;
}
