import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Handlebars from 'handlebars';
import { HandlebarsRuntime } from './handlebars-runtime.js';
import { InputError } from '../errors.js';
import type { ReportFormat } from './report-formats.js';

/** The templates shipped with oplens (templates/ at the package root, next to dist/ and src/). */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type RenderTemplate = (context: object) => string;

/** Template files by format, as precompile-templates.ts writes them at build time. */
export type PrecompiledTemplates = Record<ReportFormat, Record<string, { source: string; spec: TemplateSpecification }>>;

/** Written by the build next to dist/'s code; absent before the first build (then every file is compiled). */
const PRECOMPILED_FILE = fileURLToPath(new URL('../../dist/precompiled-templates.cjs', import.meta.url));

/** Compile options per format: Markdown templates are compiled without HTML escaping (the renderer escapes the data). */
export function compileOptions(format: ReportFormat): CompileOptions {
  return { noEscape: format === 'md' };
}

/**
 * Loads `report.<format>.hbs` and the partials `partials/<name>.<format>.hbs`. A `--template DIR` overrides any
 * of them file by file; whatever it lacks comes from the shipped set. Every file is checked up front, so a
 * broken template is reported with its path before anything is written, and each format gets its own Handlebars
 * environment (no global helpers or partials leak between formats or runs).
 * A file whose text is exactly what the build precompiled (the shipped ones) runs from that code on Handlebars'
 * runtime; any other is compiled here, with the full compiler loaded only then.
 */
export function loadTemplate(format: ReportFormat, overrideDir?: string): { env: typeof Handlebars; render: RenderTemplate } {
  const dirs = [DEFAULT_TEMPLATE_DIR];
  if (overrideDir !== undefined) dirs.push(checkDir(overrideDir));
  const suffix = `.${format}.hbs`;
  const main = dirs.map((d) => path.join(d, `report${suffix}`)).filter((f) => fs.existsSync(f)).pop();
  if (!main) throw new InputError(`template report${suffix} not found in ${dirs.join(' or ')}`, 'reinstall oplens or add the file to --template');
  const partials = new Map<string, string>();
  for (const d of dirs) {
    const pd = path.join(d, 'partials');
    if (!fs.existsSync(pd)) continue;
    for (const f of fs.readdirSync(pd).sort()) if (f.endsWith(suffix)) partials.set(f.slice(0, -suffix.length), path.join(pd, f));
  }
  const texts = new Map([...partials.values(), main].map((file) => [file, readTemplate(file)]));
  const shipped = precompiled()?.[format] ?? {};
  const specOf = (file: string) => {
    const p = shipped[path.relative(DEFAULT_TEMPLATE_DIR, file)];
    return p !== undefined && p.source === texts.get(file) ? p.spec : undefined;
  };
  const compiler = [...texts.keys()].every((f) => specOf(f) !== undefined) ? null : fullHandlebars();
  const env = (compiler ?? HandlebarsRuntime).create();
  const options = compileOptions(format);
  const load = (file: string) => {
    const spec = specOf(file);
    return spec !== undefined ? env.template(spec) : compileChecked(env, file, texts.get(file)!, options);
  };
  for (const [name, file] of partials) env.registerPartial(name, load(file));
  const template = load(main);
  return {
    env,
    render: (context) => {
      try {
        return template(context);
      } catch (e) {
        throw new InputError(`template ${main}: ${(e as Error).message}`, 'fix the template or drop it from --template');
      }
    },
  };
}

let loaded: PrecompiledTemplates | null | undefined;

function precompiled(): PrecompiledTemplates | null {
  if (loaded === undefined) {
    try {
      loaded = createRequire(import.meta.url)(PRECOMPILED_FILE) as PrecompiledTemplates;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}

function fullHandlebars(): typeof Handlebars {
  return createRequire(import.meta.url)('handlebars') as typeof Handlebars;
}

function checkDir(dir: string): string {
  const resolved = path.resolve(dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(resolved);
  } catch {
    throw new InputError(`--template ${dir}: directory not found`, 'pass a directory holding report.html.hbs, report.md.hbs or partials/');
  }
  if (!st.isDirectory()) throw new InputError(`--template ${dir}: not a directory`, 'pass a directory holding report.html.hbs, report.md.hbs or partials/');
  return resolved;
}

function readTemplate(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`template ${file} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
}

function compileChecked(env: typeof Handlebars, file: string, text: string, options: CompileOptions): HandlebarsTemplateDelegate {
  try {
    // compile() is lazy; precompiling surfaces syntax errors now, with the file they came from.
    env.precompile(text, options);
  } catch (e) {
    // Handlebars' message is "Parse error on line N:", the source line, a caret line, then what it expected.
    const lines = (e as Error).message.split('\n').filter((l) => l.trim() !== '');
    const msg = lines.length > 2 ? `${lines[0]} ${lines[lines.length - 1]}` : lines.join(' ');
    throw new InputError(`template ${file} is broken: ${msg}`, 'fix the template or drop it from --template');
  }
  return env.compile(text, options);
}
