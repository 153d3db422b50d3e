import { UsageError } from '../../errors.js';
import type { Detection, FormatAdapter, JsonRecord } from './format-adapter.js';
import { nativeAdapter, type NativeOptions } from './native.js';

/** Options adapters take from config. */
export type FormatOptions = NativeOptions;

/** Every known format, most specific first; adding a format is one file and one line here. */
export function allFormats(opts: FormatOptions = {}): FormatAdapter[] {
  return [nativeAdapter(opts)];
}

export interface DetectResult {
  adapter: FormatAdapter;
  detection: Detection;
  /** Every format's score, best first: `oplens detect` shows them. */
  ranking: Array<{ name: string } & Detection>;
}

/** Below this score no format is trusted and the file is read as native (its lines may then be quarantined). */
const MIN_SCORE = 0.05;

export function detectFormat(samples: JsonRecord[], formats: FormatAdapter[]): DetectResult {
  const ranking = formats
    .map((f) => ({ name: f.name, adapter: f, ...f.detect(samples) }))
    .sort((a, b) => b.score - a.score);
  const best = ranking[0];
  const native = ranking.find((r) => r.name === 'native') ?? best;
  const pick = best.score >= MIN_SCORE ? best : native;
  return {
    adapter: pick.adapter,
    detection: { score: pick.score, reason: pick.reason },
    ranking: ranking.map(({ name, score, reason }) => ({ name, score, reason })),
  };
}

export function formatByName(name: string, formats: FormatAdapter[]): FormatAdapter {
  const f = formats.find((x) => x.name === name);
  if (!f) {
    throw new UsageError(
      `--format: unknown format "${name}"`,
      `expected auto or one of: ${formats.map((x) => x.name).join(', ')} (oplens formats lists them)`,
    );
  }
  return f;
}
