import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** RFC 1952: every gzip member starts with these two bytes, whatever the file is called. */
const MAGIC = [0x1f, 0x8b];

const isMagic = (b: Buffer) => b.length >= 2 && b[0] === MAGIC[0] && b[1] === MAGIC[1];

/** Whether an open file holds gzip data (by content, so `app.log` that is gzip and `x.gz` that is not both read). */
export function isGzipFile(fd: number): boolean {
  const b = Buffer.alloc(2);
  return fs.readSync(fd, b, 0, 2, 0) === 2 && isMagic(b);
}

/**
 * A stream with gzip data decompressed (`cat app.log.gz | oplens ingest -`), anything else as it is. The first
 * bytes are looked at and put back.
 */
export async function gunzipIfGzip(input: Readable): Promise<Readable> {
  const head = await firstBytes(input, 2);
  if (head.length) input.unshift(head);
  if (!isMagic(head)) return input;
  const gunzip = zlib.createGunzip();
  input.on('error', (e) => gunzip.destroy(e));
  return input.pipe(gunzip);
}

/** Reads until `n` bytes (or the end) have arrived, without losing any: the caller puts them back. */
function firstBytes(input: Readable, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    const done = (err?: Error) => {
      input.off('readable', onReadable).off('end', onEnd).off('error', done);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    const onEnd = () => done();
    const onReadable = () => {
      let c: Buffer | null;
      while (got < n && (c = input.read() as Buffer | null) !== null) {
        const buf = typeof c === 'string' ? Buffer.from(c) : c;
        chunks.push(buf);
        got += buf.length;
      }
      if (got >= n) done();
    };
    input.on('readable', onReadable).on('end', onEnd).on('error', done);
  });
}
