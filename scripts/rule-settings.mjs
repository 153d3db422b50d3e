// The parts of oplens.schema.json and docs/rules.md that are built from the rules' declared settings
// (src/analysis/rules/registry.ts). `npm run rule-settings` rewrites both; test/rules/rules-declared.test.ts fails
// when either has drifted from the declarations.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredSettings, rulesSchema } from '../dist/analysis/rules/registry.js';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
export const SCHEMA_FILE = path.join(ROOT, 'oplens.schema.json');
export const RULES_DOC = path.join(ROOT, 'docs', 'rules.md');
const BEGIN = '<!-- settings table: built from the rules by npm run rule-settings -->';
const END = '<!-- end of settings table -->';

/** oplens.schema.json with its `rules` part built from the declarations. */
export function schemaText(current) {
  const schema = JSON.parse(current);
  schema.properties.rules = rulesSchema();
  return JSON.stringify(schema, null, 2) + '\n';
}

/** docs/rules.md with the settings table between its markers built from the declarations. */
export function rulesDocText(current) {
  const from = current.indexOf(BEGIN);
  const to = current.indexOf(END);
  if (from < 0 || to < from) throw new Error(`${RULES_DOC}: the settings table markers are missing`);
  const cell = (s) => String(s).replace(/\|/g, '\\|');
  const rows = declaredSettings().map(({ key, setting, rules }) => {
    const value = setting.default === undefined ? 'unset' : `\`${JSON.stringify(setting.default)}\``;
    const by = rules.length ? rules.map((r) => `\`${r}\``).join(', ') : 'several rules';
    return `| \`rules.${key}\` | ${value} | ${by} | ${cell(setting.description)} |`;
  });
  const table = ['| setting | default | read by | meaning |', '|---|---|---|---|', ...rows].join('\n');
  return `${current.slice(0, from)}${BEGIN}\n${table}\n${current.slice(to)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(SCHEMA_FILE, schemaText(fs.readFileSync(SCHEMA_FILE, 'utf8')));
  fs.writeFileSync(RULES_DOC, rulesDocText(fs.readFileSync(RULES_DOC, 'utf8')));
}
