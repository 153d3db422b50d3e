import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { InputError } from '../errors.js';
import type { ReportFormat } from './report-formats.js';

/** The templates shipped with oplens (templates/ at the package root, next to dist/ and src/). */
export const DEFAULT_TEMPLATE_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

export type RenderTemplate = (context: object) => string;

/**
 * Loads `report.<format>.hbs` and the partials `partials/<name>.<format>.hbs`. A `--template DIR` overrides any
 * of them file by file; whatever it lacks comes from the shipped set. Every file is compiled up front, so a
 * broken template is reported with its path before anything is written, and each format gets its own Handlebars
 * environment (no global helpers or partials leak between formats or runs).
 * Markdown templates are compiled without HTML escaping: the Markdown renderer escapes the data itself.
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
  const env = Handlebars.create();
  const options: CompileOptions = { noEscape: format === 'md' };
  for (const [name, file] of partials) env.registerPartial(name, compileFile(env, file, options));
  const template = compileFile(env, main, options);
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

function compileFile(env: typeof Handlebars, file: string, options: CompileOptions): HandlebarsTemplateDelegate {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`template ${file} cannot be read (${(e as NodeJS.ErrnoException).code})`);
  }
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
