import { sampleConfidence } from './confidence.js';
import { describeGroup, topGroups } from './failure-scope.js';
import { fmtMb } from './format-evidence.js';
import { formatCount, formatMinute } from '../../display/format-units.js';
import { countOf } from '../resolution.js';
import type { Rule } from './rule.js';
import { suggestHeapMb } from './suggest-settings.js';

/**
 * Memory peak over `memoryLimitMb` (the seed's "memory peak > 1000 MB → --max-old-space-size=2048", medium);
 * high when out-of-memory failures show that the limit is being hit.
 */
export const memoryPeak: Rule = {
  id: 'memory-peak',
  category: 'resources',
  evaluate(doc, s) {
    const mem = doc.overall.resources.memoryMb;
    if (!mem || mem.max <= s.memoryLimitMb || doc.overall.count < s.minSamples) return [];
    const over = doc.trends.series.filter((p) => p.memoryMaxMb !== null && p.memoryMaxMb > s.memoryLimitMb);
    const timed = doc.trends.series.filter((p) => p.memoryMaxMb !== null);
    const total = timed.reduce((n, p) => n + p.count, 0);
    const touched = over.reduce((n, p) => n + p.count, 0);
    const step = doc.trends.resolution;
    const evidence = [
      `memory peak ${fmtMb(mem.max)} over the ${fmtMb(s.memoryLimitMb)} limit (mean ${fmtMb(mem.mean)})`,
    ];
    if (timed.length) evidence.push(`${over.length} of ${countOf(step, timed.length)} peaked over the limit${over[0] ? `, first at ${formatMinute(over[0].t)}` : ''}`);
    const oom = doc.errorCategories.find((c) => c.category === 'memory');
    const oomGroup = topGroups(doc, null, 'memory', 1)[0];
    if (oom) evidence.push(`${formatCount(oom.count)} out-of-memory failures${oomGroup ? `; ${describeGroup(doc, oomGroup)}` : ''}`);
    const heap = suggestHeapMb(mem.max);
    return [{
      severity: oom && oom.count >= s.minFailures ? 'high' : 'medium',
      title: `Memory peak ${fmtMb(mem.max)} is over the ${fmtMb(s.memoryLimitMb)} limit`,
      evidence,
      recommendation: 'Raise the heap limit if the peak is legitimate, otherwise reduce what is held in memory (caches, session history) and let garbage collection reclaim it.',
      action: `export NODE_OPTIONS="--max-old-space-size=${heap}" (and the container limit above it), or hold less: cap in-process caches and per-session history`,
      impact: total > 0 ? touched / total : 1,
      confidence: sampleConfidence(doc.overall.count, s.minSamples),
      ops: [],
      cause: 'memory:*',
    }];
  },
};
