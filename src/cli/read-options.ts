import type { OplensConfig } from '../config/load-config.js';
import type { ReadOptions } from '../pipeline/ingest.js';

/** The config's reading settings, the same for ingest and watch. */
export function configReadOptions(config: OplensConfig): Pick<ReadOptions, 'formatOptions' | 'batchLines' | 'maxLineBytes' | 'maxOperations' | 'joinTimeoutMs'> {
  return {
    formatOptions: { durationUnit: config.ingest.durationUnit, fields: config.fields, dimensions: config.dimensions },
    batchLines: config.ingest.batchLines, maxLineBytes: config.ingest.maxLineBytes, maxOperations: config.ingest.maxOperations,
    joinTimeoutMs: config.ingest.joinTimeoutSeconds * 1000,
  };
}
