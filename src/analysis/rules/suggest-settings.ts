/** Concrete values for the settings the advice names, derived from the measured numbers. */

/** The timeout oplens assumes when neither `rules.timeoutMs` nor `rules.timeouts` gives one; advice says it is assumed. */
export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * A new timeout in whole seconds: comfortably above the observed p99 (×1.2, rounded up to 15 s) and at least
 * double the current one, as the seed guide does (AUDIT_TIMEOUT_SECONDS 30 → 60).
 */
export function suggestTimeoutSeconds(currentMs: number, p99Ms: number | null): number {
  const aboveTail = Math.ceil(((p99Ms ?? 0) * 1.2) / 15_000) * 15;
  return Math.max(Math.ceil((2 * currentMs) / 1000), aboveTail);
}

/** `export AUDIT_TIMEOUT_SECONDS=60` when the config names the setting, else `raise the timeout to 60 s`. */
export function timeoutAdvice(setting: string | undefined, seconds: number): string {
  return setting ? `export ${setting}=${seconds}` : `raise the timeout to ${seconds} s`;
}

/** `export MAX_CONCURRENT_AUDITS=11` when the config names the setting, else `cap concurrency at 11`. */
export function concurrencyAdvice(setting: string | undefined, cap: number): string {
  return setting ? `export ${setting}=${cap}` : `cap concurrency at ${cap} (workers, pool size or in-flight requests)`;
}

/** A V8 heap limit (MB): the next power of two above 1.5 × the peak, at least the seed's 2048. */
export function suggestHeapMb(peakMb: number): number {
  let mb = 2048;
  while (mb < peakMb * 1.5) mb *= 2;
  return mb;
}
