import { DEFAULT_DIMENSIONS, type DimensionsConfig } from '../../ingest/dimensions.js';
import { checkKeys, configError, expectNumber, expectObject, expectString } from '../config-error.js';
import type { ConfigSection } from '../config-section.js';

/**
 * `dimensions`: which fields of the lines are kept to slice events by (`--group-by`, `--where`, attribution).
 * Known names (host, service, version, region, status, method, customer …) and short repeating text fields are
 * kept by themselves; `include` adds fields (dotted paths reach into objects), `exclude` drops them.
 */
export const dimensionsSection: ConfigSection<'dimensions'> = {
  key: 'dimensions',
  defaults: () => ({ ...DEFAULT_DIMENSIONS, include: [], exclude: [] }),
  parse(raw, d): DimensionsConfig {
    const o = expectObject(raw, 'dimensions');
    checkKeys(o, ['include', 'exclude', 'maxValues', 'maxPerFile'], 'dimensions');
    const names = (k: 'include' | 'exclude') => {
      if (o[k] === undefined) return d[k];
      if (!Array.isArray(o[k])) throw configError(`dimensions.${k}`, 'an array of field names', o[k]);
      return (o[k] as unknown[]).map((v, i) => {
        const s = expectString(v, `dimensions.${k}[${i}]`);
        if (s === '') throw configError(`dimensions.${k}[${i}]`, 'a field name or dotted path', s);
        return s;
      });
    };
    return {
      include: names('include'),
      exclude: names('exclude'),
      maxValues: o.maxValues === undefined ? d.maxValues : expectNumber(o.maxValues, 'dimensions.maxValues', { min: 1, integer: true }),
      maxPerFile: o.maxPerFile === undefined ? d.maxPerFile : expectNumber(o.maxPerFile, 'dimensions.maxPerFile', { min: 0, integer: true }),
    };
  },
};
