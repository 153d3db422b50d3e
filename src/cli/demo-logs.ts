import { fileURLToPath } from 'node:url';

/** The demo logs shipped in the package (fixtures/demo at the package root, beside dist/). */
export const DEMO_LOGS = fileURLToPath(new URL('../../fixtures/demo/', import.meta.url));
