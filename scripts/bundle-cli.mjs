// Bundles the CLI (src/cli/main.ts) and the worker threads it starts (the ingest parser, the fleet query worker) into
// dist/cli/, over tsc's output of main.js: one file per entry plus shared chunks (esbuild code splitting), so a
// command loads its implementation and the packages it uses as a few files instead of the hundred-odd modules tsc's
// output and node_modules would resolve, read and compile one by one. What a command loads when it runs (its dynamic
// imports) is still loaded only then, and each module is in exactly one output file, so the CLI and its workers hold
// one instance of each.
//
// tsc's output stays beside the bundle for the library (dist/api.js) and for anything that imports dist/ directly.
//
// Every output sits in dist/cli/, two levels below the package root as tsc's output of src/<dir>/<file>.ts does, so
// a module that finds a file relative to itself (import.meta) finds the same file bundled; checkRelativeUrls holds
// the build to that.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const OUT = path.join(ROOT, 'dist/cli');
const ENTRIES = {
  main: path.join(SRC, 'cli/main.ts'),
  'segment-worker': path.join(SRC, 'pipeline/segment-worker.ts'),
  'query-worker': path.join(SRC, 'store/clickhouse/query-worker.ts'),
};
const CHUNK = /^chunk-[A-Z0-9]+\.js$/;
/**
 * The packages bundled: all the CLI imports (the fleet's ClickHouse client too: a command reading a fleet waits for
 * its query worker to load it, and one file loads in about half the time of its many CommonJS modules) but
 * `bindings`, which better-sqlite3 would use to find its addon (open-store.ts passes the addon, so it is never
 * called). Handlebars and Ajv are loaded with createRequire, from node_modules, when they are needed, and
 * so is picomatch a second time, by fdir (under tinyglobby), which requires it if installed.
 */
const EXTERNAL_PACKAGES = /^bindings(\/|$)/;

// Chunks of an earlier build would otherwise accumulate (their names are content hashes).
for (const f of fs.readdirSync(OUT)) if (CHUNK.test(f)) fs.rmSync(path.join(OUT, f));

const result = await esbuild.build({
  entryPoints: ENTRIES, outdir: OUT, entryNames: '[name]', chunkNames: 'chunk-[hash]',
  absWorkingDir: ROOT, bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', metafile: true,
  // The CommonJS packages (commander, better-sqlite3, picomatch) require() Node's modules: an ES module needs a require.
  banner: { js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);" },
  plugins: [{
    name: 'packages',
    setup(b) {
      // commander starts a child process only to run an executable subcommand, which oplens has none of; it loads
      // node:child_process (and with it dgram and the socket list) at start, so it gets a stand-in that loads it
      // when first used.
      b.onResolve({ filter: /^node:child_process$/ }, (a) => (/[/\\]node_modules[/\\]commander[/\\]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
        contents: "module.exports = { get spawn() { return require('node:child_process').spawn; } };", loader: 'js',
      }));
      b.onResolve({ filter: /^[^./]/ }, (a) => (EXTERNAL_PACKAGES.test(a.path) ? { path: a.path, external: true } : undefined));
    },
  }],
});
checkRelativeUrls(result.metafile);

/**
 * Fails the build if a bundled module finds a file relative to itself (`new URL('…', import.meta.url)`, or a
 * `require('./…')` of a createRequire) that is not the same file from dist/cli/ as from tsc's output directory, and
 * is not one of the bundle's own entries (a worker, which the bundle replaces).
 */
function checkRelativeUrls(metafile) {
  const entries = new Set(Object.keys(ENTRIES).map((n) => path.join(OUT, `${n}.js`)));
  const problems = [];
  for (const input of Object.keys(metafile.inputs)) {
    const file = path.resolve(ROOT, input);
    if (!file.startsWith(SRC + path.sep)) continue;
    const text = fs.readFileSync(file, 'utf8');
    if (!text.includes('import.meta')) continue;
    const tscDir = path.dirname(path.join(ROOT, 'dist', path.relative(SRC, file)));
    for (const [, rel] of text.matchAll(/(?:new URL\(|require\()\s*'(\.{1,2}\/[^']*)'/g)) {
      const bundled = path.join(OUT, rel);
      if (bundled !== path.join(tscDir, rel) && !entries.has(bundled)) problems.push(`${input}: '${rel}' is ${path.relative(ROOT, bundled)} when bundled`);
    }
  }
  if (problems.length) throw new Error(`bundle-cli: a module finds another file relative to itself:\n  ${problems.join('\n  ')}`);
}
