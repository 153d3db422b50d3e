import type { Detection, JsonRecord } from '../formats/format-adapter.js';
import { share } from './read-fields.js';

/** How an adapter recognises its format from sampled records. */
export interface Signature {
  /** What the envelope test looks for, as the reason text says it (`a "resourceSpans" array`). */
  shape: string;
  /** True for every record the format writes, operations or not. */
  envelope(r: JsonRecord): boolean;
  /** True for records that are operations (the others are log messages or metrics the format skips). */
  operation(r: JsonRecord): boolean;
  /** Score when every sampled record has the envelope: how distinctive the shape is (native tops out at 0.6). */
  certainty: number;
}

/** A file of the right shape whose first records hold no operation (a startup burst) is still the format, less surely. */
const NO_OPERATION_FACTOR = 0.6;

export function detectSignature(samples: JsonRecord[], sig: Signature): Detection {
  const env = share(samples, sig.envelope);
  if (env === 0) return { score: 0, reason: `no sampled line has ${sig.shape}` };
  const ops = share(samples, (r) => sig.envelope(r) && sig.operation(r));
  const score = sig.certainty * env * (ops > 0 ? 1 : NO_OPERATION_FACTOR);
  return {
    score,
    reason: `${percent(env)} of ${samples.length} sampled lines have ${sig.shape}; ${percent(ops)} are operations`,
  };
}

export function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}
