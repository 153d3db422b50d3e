import { InputError, StoreError, UsageError } from '../errors.js';
import type { BaselineReader } from '../store/read-store.js';
import type { Store } from '../store/store.js';
import type { AnalysisWindow, GroupKpis, Kpis } from './analysis-document.js';
import { analysisWindow } from './compare.js';
import { windowStats, type StoreContext } from './read-window.js';

/** Version of the saved KPI document; a baseline of another version is refused, not misread. */
export const BASELINE_VERSION = 1;

/** What `baseline save` keeps: the window's KPIs overall, per operation and per source. */
export interface BaselineDoc {
  version: number;
  window: AnalysisWindow;
  percentiles: 'sketch' | 'exact' | 'mixed';
  overall: Kpis;
  operations: GroupKpis[];
  sources: GroupKpis[];
}

const NAME = /^[^\x00-\x1f\x7f]{1,100}$/;

export function saveBaseline(store: Pick<Store, 'queries' | 'baselines'>, name: string, range: { fromMs: number; toMs: number; nowMs: number }, opts: { force: boolean }): BaselineDoc {
  if (!NAME.test(name) || name.trim() !== name) throw new UsageError(`baseline name: expected 1–100 printable characters without surrounding spaces, got ${JSON.stringify(name)}`);
  const q = store.queries;
  const ctx: StoreContext = { q, rawPrunedBefore: q.rawPrunedBefore(), extent: q.extent() };
  const r = { from: range.fromMs, to: range.toMs };
  const scope = { ops: null, source: null };
  const byOp = windowStats(ctx, { range: r, scope, groupBy: 'op', exact: false, withErrors: false });
  if (byOp.overall.count === 0) throw new InputError(`no events between ${analysisWindow(r.from, r.to).from} and ${analysisWindow(r.from, r.to).to}: nothing to save`, 'choose the window with --days/--since/--until/--now');
  const bySource = windowStats(ctx, { range: r, scope, groupBy: 'source', exact: false, withErrors: false });
  const doc: BaselineDoc = {
    version: BASELINE_VERSION, window: analysisWindow(r.from, r.to), percentiles: byOp.percentiles,
    overall: byOp.overall, operations: byOp.groups, sources: bySource.groups,
  };
  const saved = store.baselines.put({ name, createdAt: range.nowMs, windowFrom: r.from, windowTo: r.to, doc: JSON.stringify(doc) }, opts.force);
  if (!saved) throw new UsageError(`baseline "${name}" already exists`, 'pass --force to replace it, or choose another name');
  return doc;
}

export function loadBaseline(baselines: BaselineReader, name: string): BaselineDoc {
  const row = baselines.get(name);
  if (!row) throw unknown(baselines, name);
  const doc = JSON.parse(row.doc) as BaselineDoc;
  if (doc.version !== BASELINE_VERSION) {
    throw new StoreError(`baseline "${name}" was saved in format ${doc.version}, this oplens reads ${BASELINE_VERSION}`, `save it again: oplens baseline save ${name} --force …`);
  }
  return doc;
}

export function removeBaseline(store: Pick<Store, 'baselines'>, name: string): void {
  if (!store.baselines.delete(name)) throw unknown(store.baselines, name);
}

function unknown(baselines: BaselineReader, name: string): UsageError {
  return new UsageError(`no baseline named "${name}"`, `saved baselines: ${baselines.list().map((b) => b.name).join(', ') || 'none (oplens baseline save NAME)'}`);
}
