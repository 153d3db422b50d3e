import type { OplensConfig } from './load-config.js';

/** One top-level key of oplens.config.json: its default and its validating parser. */
export interface ConfigSection<K extends keyof OplensConfig> {
  key: K;
  defaults(): OplensConfig[K];
  /** Throws a ConfigError naming the key path, the value and what was expected. */
  parse(raw: unknown, defaults: OplensConfig[K]): OplensConfig[K];
}
