import type { DurationUnit } from '../../ingest/normalize/parse-duration.js';
import type { ConfigSection } from '../config-section.js';
import { DEFAULT_MAX_NAMES } from '../../store/batch-writer.js';
import { JOIN_TIMEOUT_MS } from '../../ingest/join-requests.js';

export interface IngestConfig {
  /** Unit of duration fields whose name gives none (`duration`, `elapsed`, `latency`). */
  durationUnit: DurationUnit;
  maxLineBytes: number;
  batchLines: number;
  /** Distinct operation names the store takes before new ones are folded into "(other operations)". */
  maxOperations: number;
  /** How long a request's start waits for its finish line (log time; join-requests.ts). */
  joinTimeoutSeconds: number;
}

export const ingestSection: ConfigSection<'ingest'> = {
  key: 'ingest',
  defaults: () => ({ durationUnit: 'ms', maxLineBytes: 1 << 20, batchLines: 50_000, maxOperations: DEFAULT_MAX_NAMES, joinTimeoutSeconds: JOIN_TIMEOUT_MS / 1000 }),
};
