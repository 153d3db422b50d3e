import type { Command } from 'commander';
import type { ConfigOrigin } from '../../config/load-config.js';
import { globals } from '../global-options.js';
import { jsonOption, printJson } from '../json-output.js';

interface Setting {
  key: string;
  value: unknown;
  /** The config file that gave the value, or "default". */
  from: string;
}

export function registerConfig(program: Command): void {
  program
    .command('config')
    .description('print the effective config: every setting, its value and where it came from (a file or the default)')
    .addOption(jsonOption('the file and the settings'))
    .addHelpText('after', `
The config is --config FILE, else $OPLENS_CONFIG, else the nearest oplens.config.json in this directory or one
above it, else the defaults.

Examples:
  $ oplens config
  $ oplens config --json | jq '.settings[] | select(.from != "default")'`)
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { loadConfigWithOrigin } = await import('../../config/load-config.js');
      const { config, origin, raw } = loadConfigWithOrigin(globals(cmd).config);
      const settings = flatten(config, '').map(({ key, value }) => ({ key, value, from: origin && given(raw, key) ? origin.file : 'default' }));
      if (opts.json) {
        printJson({ file: origin?.file ?? null, foundBy: origin?.how ?? null, settings });
        return;
      }
      const width = Math.max(...settings.map((s) => s.key.length));
      const lines = [describeOrigin(origin), ...settings.map((s: Setting) => `${s.key.padEnd(width)}  ${JSON.stringify(s.value)}  (${s.from})`)];
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function describeOrigin(o: ConfigOrigin | undefined): string {
  if (!o) return 'config: none found (defaults only; searched for oplens.config.json from here up)';
  const how = o.how === 'search' ? 'found from the working directory up' : `from ${o.how}`;
  return `config: ${o.file} (${how})`;
}

/** Leaf settings by dotted key; arrays (thresholds, timeouts) are one setting each. */
function flatten(v: unknown, prefix: string): Array<{ key: string; value: unknown }> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return prefix ? [{ key: prefix, value: v ?? null }] : [];
  return Object.entries(v).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
}

/** Whether the file itself gave the setting at this dotted key. */
function given(raw: Record<string, unknown> | undefined, key: string): boolean {
  let cur: unknown = raw;
  for (const part of key.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return false;
    cur = (cur as Record<string, unknown>)[part];
  }
  return true;
}
