// Bundles the CLI's entry (src/cli/main.ts: the command tree, commander, the flags) into dist/cli/main.js, over
// tsc's output of the same file: one file to read and compile instead of some fifty modules to resolve, which is
// most of what `oplens --version`, `--help` and `status` spend before doing anything.
//
// What a command loads when it runs (its dynamic imports) stays tsc's output in dist/, and so does every module
// those reach: a module loaded both by the bundle and by a command's implementation must be one instance (the
// error classes main.ts tells apart, the display time zone the flags set), so the bundle imports it from dist/.
// A module that finds files relative to itself (import.meta) stays in dist/ too, where its relative paths hold.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const DIST = path.join(ROOT, 'dist');
const ENTRY = path.join(SRC, 'cli/main.ts');
const OUT = path.join(DIST, 'cli/main.js');

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', write: false, metafile: true };
const RESOLVING = 'resolving';

/** Resolves an import as esbuild would, from inside an onResolve callback. */
const resolve = (b, a) => b.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: RESOLVING });

/** `src/x/y.ts` as the bundle imports tsc's output of it: `../x/y.js`, relative to dist/cli/. */
function distSpecifier(srcFile) {
  const rel = path.relative(path.dirname(OUT), path.join(DIST, path.relative(SRC, srcFile)).replace(/\.ts$/, '.js'));
  return rel.startsWith('.') ? rel : `./${rel}`;
}

/** The modules that stay in dist/: the entry's dynamic imports and its import.meta users, with all they reach. */
async function distModules() {
  const roots = new Set();
  const front = await esbuild.build({
    ...common, entryPoints: [ENTRY], packages: 'external',
    plugins: [{
      name: 'dynamic-imports',
      setup(b) {
        b.onResolve({ filter: /.*/ }, async (a) => {
          if (a.kind !== 'dynamic-import' || a.pluginData === RESOLVING) return undefined;
          roots.add((await resolve(b, a)).path);
          return { path: a.path, external: true };
        });
      },
    }],
  });
  for (const f of Object.keys(front.metafile.inputs).map((f) => path.resolve(ROOT, f))) {
    if (f !== ENTRY && /\bimport\.meta\b/.test(fs.readFileSync(f, 'utf8'))) roots.add(f);
  }
  const packages = new Set();
  const reached = await esbuild.build({
    ...common, entryPoints: [...roots], outdir: DIST, packages: 'external',
    plugins: [{
      name: 'packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (a) => {
          if (!a.path.startsWith('node:')) packages.add(a.path);
          return undefined;
        });
      },
    }],
  });
  return { modules: new Set(Object.keys(reached.metafile.inputs).map((f) => path.resolve(ROOT, f))), packages };
}

const dist = await distModules();
await esbuild.build({
  ...common, entryPoints: [ENTRY], outfile: OUT, write: true, allowOverwrite: true,
  // commander is CommonJS: its require() of Node's modules needs a require in an ES module.
  banner: { js: "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);" },
  plugins: [{
    name: 'dist-modules',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (a) => (dist.packages.has(a.path) ? { path: a.path, external: true } : undefined));
      b.onResolve({ filter: /^\./ }, async (a) => {
        if (a.pluginData === RESOLVING) return undefined;
        const r = await resolve(b, a);
        return a.kind === 'dynamic-import' || dist.modules.has(r.path) ? { path: distSpecifier(r.path), external: true } : r;
      });
    },
  }],
});
