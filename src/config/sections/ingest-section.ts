import type { DurationUnit } from '../../ingest/normalize/parse-duration.js';
import { checkKeys, expectNumber, expectObject, expectString } from '../config-error.js';
import type { ConfigSection } from '../config-section.js';
import { DEFAULT_MAX_NAMES } from '../../store/sqlite/write-batch.js';

export interface IngestConfig {
  /** Unit of duration fields whose name gives none (`duration`, `elapsed`, `latency`). */
  durationUnit: DurationUnit;
  maxLineBytes: number;
  batchLines: number;
  /** Distinct operation names the store takes before new ones are folded into "(other operations)". */
  maxOperations: number;
}

const UNITS = ['ns', 'us', 'ms', 's', 'min', 'h'] as const;

export const ingestSection: ConfigSection<'ingest'> = {
  key: 'ingest',
  defaults: () => ({ durationUnit: 'ms', maxLineBytes: 1 << 20, batchLines: 50_000, maxOperations: DEFAULT_MAX_NAMES }),
  parse(raw, defaults) {
    const o = expectObject(raw, 'ingest');
    checkKeys(o, ['durationUnit', 'maxLineBytes', 'batchLines', 'maxOperations'], 'ingest');
    return {
      durationUnit: o.durationUnit === undefined ? defaults.durationUnit : (expectString(o.durationUnit, 'ingest.durationUnit', UNITS) as DurationUnit),
      maxLineBytes: o.maxLineBytes === undefined ? defaults.maxLineBytes : expectNumber(o.maxLineBytes, 'ingest.maxLineBytes', { min: 1024, integer: true }),
      batchLines: o.batchLines === undefined ? defaults.batchLines : expectNumber(o.batchLines, 'ingest.batchLines', { min: 1, integer: true }),
      maxOperations: o.maxOperations === undefined ? defaults.maxOperations : expectNumber(o.maxOperations, 'ingest.maxOperations', { min: 1, integer: true }),
    };
  },
};
