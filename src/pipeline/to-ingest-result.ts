import type { IngestSummary } from './ingest.js';
import type { IngestResult } from './ingest-result.js';

/** The summary without what only the terminal line uses (held-back bytes, checkpoint ids). */
export function toIngestResult(s: IngestSummary): IngestResult {
  return {
    events: s.events, lines: s.lines, bytes: s.bytes, quarantined: s.quarantined, ignored: s.ignored,
    files: s.files.map((f) => ({
      path: f.path, status: f.status, format: f.format ?? null, events: f.events ?? 0, lines: f.lines ?? 0,
      quarantined: f.quarantined ?? 0, bytes: f.bytes ?? 0, ...(f.note ? { note: f.note } : {}),
    })),
  };
}
