import type { ConfigProblem } from './config-error.js';
import type { OplensConfig } from './load-config.js';
import { LEVELS, WORSE } from '../analysis/threshold-config.js';

/**
 * What JSON Schema cannot say: values that must be ordered against each other. Checked on the config with its
 * defaults filled in, after the schema passed.
 */
export function crossFieldProblems(c: OplensConfig): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  c.thresholds.forEach((t, i) => {
    // Levels must get worse in the metric's direction: target, then warning, then critical.
    const present = LEVELS.filter((l) => t[l] !== undefined);
    const sign = WORSE[t.metric] === 'higher' ? 1 : -1;
    for (let k = 1; k < present.length; k++) {
      const [a, b] = [present[k - 1], present[k]];
      if (sign * ((t[b] as number) - (t[a] as number)) < 0) {
        out.push({
          path: `thresholds[${i}]`,
          text: `${b} (${t[b]}) is ${sign > 0 ? 'below' : 'above'} ${a} (${t[a]}) for ${t.metric}`,
          hint: `${t.metric} gets worse as it goes ${sign > 0 ? 'up' : 'down'}`,
        });
        break;
      }
    }
  });
  const sr = c.rules.successRate;
  if (sr.critical > sr.high) {
    out.push({ path: 'rules.successRate', text: `critical (${sr.critical}) must not be above high (${sr.high})` });
  }
  return out;
}
