import { EXIT } from '../errors.js';

/**
 * A reader that stops early (`oplens analyze --help | head -1`) closes the pipe under us: the run ends quietly with
 * the status a shell gives a writer killed by SIGPIPE (141), as coreutils do, instead of an EPIPE stack trace.
 */
export function endQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(EXIT.closedPipe);
    });
  }
}
