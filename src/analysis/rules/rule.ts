import type { RuleContext, SettingValues, Settings } from './rule-settings.js';
import type { AnalysisDocument, Recommendation } from '../analysis-document.js';

export type Severity = Recommendation['severity'];
export type RuleCategory = Recommendation['category'];

/** What one rule concluded about one subject (an operation, the whole window, one data problem). */
export interface Finding {
  severity: Severity;
  title: string;
  /** The exact numbers, operations and window that made the rule fire, formatted for people. */
  evidence: string[];
  /** What to do, in plain words. */
  recommendation: string;
  /** A concrete step: a setting, a place to look; commands to run go in `commands`. */
  action: string;
  /** Shell commands the action suggests, each argument quoted (format/shell-quote.ts): shown as code, run as they are. */
  commands?: string[];
  /** Share (0..1) of the window's traffic or failures that the finding touches. */
  impact: number;
  /** How sure we are (0..1): sample size, significance of the trend. */
  confidence: number;
  ops: string[];
  /**
   * Findings with the same cause are one problem seen by several rules (a timeout storm on `search` fires the
   * success-rate, timeout and p95 rules); recommend() keeps the strongest and folds the others' evidence in.
   * Form: `<mechanism>:<op or *>`, e.g. `timeout:search`, `memory:*`.
   */
  cause: string;
  /** Suffix of the recommendation id when the rule reports several subjects that are not operations. */
  key?: string;
  /**
   * About the whole store, not the window (quarantined lines carry no timestamp): ranked after every finding about
   * the window and left out of its verdict.
   */
  storeWide?: boolean;
}

export interface Rule<S extends Settings = Record<never, never>> {
  /** Kebab-case, also the module name and the key in `rules.disabled`. */
  id: string;
  category: RuleCategory;
  /** The settings only this rule reads, under `rules` in the config (rule-settings.ts has the shared ones). */
  settings?: S;
  evaluate(doc: AnalysisDocument, settings: RuleContext & SettingValues<S>): Finding[];
}
