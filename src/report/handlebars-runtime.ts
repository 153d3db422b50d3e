import type Handlebars from 'handlebars';
import runtime from 'handlebars/runtime.js';

/** Handlebars without its compiler: all that precompiled templates, SafeString and escaping need (typed as the whole). */
export const HandlebarsRuntime = runtime as unknown as typeof Handlebars;
