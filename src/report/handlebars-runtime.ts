import { createRequire } from 'node:module';
import type Handlebars from 'handlebars';

/**
 * Handlebars without its compiler: all that precompiled templates, SafeString and escaping need (typed as the
 * whole). The package's one-file build of the runtime loads in a third of the time of its 22 CommonJS modules.
 */
export const HandlebarsRuntime = createRequire(import.meta.url)('handlebars/dist/handlebars.runtime.js') as typeof Handlebars;
