import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/analysis/rules/registry.js';
// @ts-expect-error: a plain ES module script without types
import { RULES_DOC, SCHEMA_FILE, rulesDocText, schemaText } from '../../scripts/rule-settings.mjs';

/** What is built from the rule list must match it: `npm run rule-settings` rewrites the schema part and the table. */
describe('the rules and their settings, declared once', () => {
  it('oplens.schema.json describes exactly the settings the rules declare', () => {
    const file = fs.readFileSync(SCHEMA_FILE, 'utf8');
    expect(JSON.parse(file).properties.rules, 'run npm run rule-settings').toEqual(JSON.parse(schemaText(file)).properties.rules);
  });

  it('docs/rules.md has the settings table built from the declarations', () => {
    const doc = fs.readFileSync(RULES_DOC, 'utf8');
    expect(doc, 'run npm run rule-settings').toBe(rulesDocText(doc));
  });

  it('docs/rules.md lists every rule with its category, in the registry\'s order', () => {
    const doc = fs.readFileSync(RULES_DOC, 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z0-9-]+)` \| ([a-z ]+) \|/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toEqual(RULES.map((r) => `${r.id} ${r.category}`));
  });
});
