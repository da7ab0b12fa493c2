import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A file written to a temporary name, not yet kept: its size, digest and first bytes (for sniffing its type). */
export type ReceivedFile = { tempPath: string; size: number; sha256: string; head: Buffer; truncated: boolean };

const TEMP_PREFIX = '.envoi-';
const HEAD_BYTES = 4100;
const STALE_TEMP_MS = 60 * 60 * 1000;
const KEY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Counts, hashes and keeps the first bytes of what goes through, unchanged. */
function tap(state: {
  size: number;
  hash: ReturnType<typeof createHash>;
  head: Buffer[];
  headSize: number;
}): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      state.size += chunk.length;
      state.hash.update(chunk);
      if (state.headSize < HEAD_BYTES) {
        state.head.push(chunk.subarray(0, HEAD_BYTES - state.headSize));
        state.headSize += Math.min(chunk.length, HEAD_BYTES - state.headSize);
      }
      callback(null, chunk);
    },
  });
}

/**
 * Attachments on disk, in one directory outside the web root: each file under a random UUID, mode 0600. A file is
 * first written under a temporary name in the same directory, then renamed once complete (atomic), so a name
 * without the temporary prefix is always a whole file; an interrupted write leaves nothing behind.
 */
export function attachmentFiles(dir: string) {
  let ready: Promise<void> | undefined;

  /** Creates the directory once, and removes temporary files a crashed process may have left (older than an hour). */
  const ensureDir = () =>
    (ready ??= (async () => {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      for (const name of await readdir(dir)) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const full = path.join(dir, name);
        const info = await stat(full).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > STALE_TEMP_MS) await unlink(full).catch(() => undefined);
      }
    })().catch((error: unknown) => {
      ready = undefined;
      throw error;
    }));

  const pathOf = (key: string): string => {
    if (!KEY.test(key)) throw new Error('Clé de pièce jointe invalide');
    return path.join(dir, key);
  };

  const discard = (file: string) => unlink(file).catch(() => undefined);

  return {
    dir,
    discard,

    /** Writes `stream` to a temporary file; on any error the temporary file is removed and the error rethrown. */
    async receive(stream: Readable & { truncated?: boolean }): Promise<ReceivedFile> {
      await ensureDir();
      const tempPath = path.join(dir, `${TEMP_PREFIX}${randomUUID()}`);
      const state = { size: 0, hash: createHash('sha256'), head: [] as Buffer[], headSize: 0 };
      try {
        await pipeline(stream, tap(state), createWriteStream(tempPath, { flags: 'wx', mode: 0o600 }));
      } catch (error) {
        await discard(tempPath);
        throw error;
      }
      return {
        tempPath,
        size: state.size,
        sha256: state.hash.digest('hex'),
        head: Buffer.concat(state.head),
        truncated: stream.truncated === true,
      };
    },

    /** Gives a complete temporary file its final, random name; returns that name (the storage key). */
    async keep(tempPath: string): Promise<string> {
      const key = randomUUID();
      await rename(tempPath, pathOf(key));
      return key;
    },

    open: (key: string): ReadStream => createReadStream(pathOf(key)),
    remove: (key: string) => discard(pathOf(key)),
    exists: (key: string) =>
      stat(pathOf(key)).then(
        (s) => s.isFile(),
        () => false,
      ),
  };
}

export type AttachmentFiles = ReturnType<typeof attachmentFiles>;
