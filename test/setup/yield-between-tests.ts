import { beforeEach } from 'vitest';

/**
 * Many tests run the CLI synchronously (spawnSync), which blocks this worker's event loop. The worker's messages to
 * the test runner are answered only when the loop turns, and an answer still unread after 60 s fails the run
 * ("Timeout calling onTaskUpdate") on a loaded machine. A full turn of the loop before each test reads them.
 */
beforeEach(() => new Promise<void>((resolve) => setImmediate(resolve)));
