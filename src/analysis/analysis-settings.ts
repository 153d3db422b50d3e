import type { RulesConfig } from './rules/registry.js';
import type { ThresholdConfig } from './threshold-config.js';

/** Settings of `oplens analyze` that are not thresholds (docs/analysis-json.md explains each). */
export interface AnalysisConfig {
  /** Relative p95 worsening (0.2 = 20 %) against the previous window or a baseline that counts as a regression. */
  regressionThreshold: number;
  /** Fewest events with a duration a group needs in both windows before its p95 change is judged. */
  regressionMinCount: number;
  /** A stretch of the window longer than this (minutes) without a single event is a gap. */
  gapMinutes: number;
  /**
   * Largest Mann–Kendall p-value that still counts as a trend. Four metrics are tested per run, so 0.05 would
   * raise a false alarm on one run in five of flat data; 0.01 keeps that near one in twenty-five.
   */
  trendAlpha: number;
  /** Smallest change across the series, relative to its median (0.2 = 20 %, as a regression), that a trend must amount to. */
  trendMinChange: number;
  /** Fewest failures an hour (or day) needs before it can be an error spike. */
  spikeMinErrors: number;
}

export const ANALYSIS_DEFAULTS: AnalysisConfig = {
  regressionThreshold: 0.2,
  regressionMinCount: 30,
  gapMinutes: 60,
  trendAlpha: 0.01,
  trendMinChange: 0.2,
  spikeMinErrors: 10,
};

/** The config an analysis reads (oplens.config.json's `analysis`, `rules` and `thresholds`). */
export interface AnalysisSettings {
  analysis: AnalysisConfig;
  rules: RulesConfig;
  thresholds: ThresholdConfig[];
}
