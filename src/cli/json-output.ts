import { Option } from 'commander';
import { jsonText } from '../display/printable.js';

/** `--json` on every command that prints data: the same data as a JSON document on stdout, for scripts. */
export function jsonOption(what: string): Option {
  return new Option('--json', `print ${what} as JSON on stdout`);
}

export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value) + '\n');
}
