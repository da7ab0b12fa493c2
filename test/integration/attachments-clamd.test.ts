/**
 * The clamd client (storage/clamd): INSTREAM framing, replies, and every way clamd can fail , against a
 * fake clamd that speaks the protocol over a real TCP socket.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, beforeEach, describe, it } from 'node:test';
import { clamdAddress, clamdScanner, frame, parseReply, ScannerError, split } from '../../src/storage/clamd.ts';
import { EICAR, EICAR_NAME, startFakeClamd, type FakeClamd } from '../helpers/fake-clamd.ts';

let clamd: FakeClamd;
before(async () => {
  clamd = await startFakeClamd();
});
after(() => clamd.stop());
beforeEach(() => {
  clamd.clear();
  clamd.mode = 'scan';
});

/** A stream that yields `data` in reads of the given sizes (the last one takes the rest). */
function reads(data: Buffer, sizes: number[]): Readable {
  const parts: Buffer[] = [];
  let offset = 0;
  for (const size of sizes) {
    parts.push(data.subarray(offset, offset + size));
    offset += size;
  }
  if (offset < data.length) parts.push(data.subarray(offset));
  return Readable.from(parts);
}

describe('INSTREAM framing', () => {
  it('prefixes each chunk with its length as 4 bytes, big-endian; the end is a zero-length chunk', () => {
    assert.deepEqual(frame(Buffer.from('abc')), Buffer.from([0, 0, 0, 3, 0x61, 0x62, 0x63]));
    assert.deepEqual(frame(Buffer.alloc(70_000)).subarray(0, 4), Buffer.from([0x00, 0x01, 0x11, 0x70]));
    assert.deepEqual(frame(Buffer.alloc(0)), Buffer.from([0, 0, 0, 0]));
    assert.deepEqual(
      [...split(Buffer.alloc(10), 4)].map((b) => b.length),
      [4, 4, 2],
    );
  });

  it('reads clamd’s replies: OK, FOUND with the virus name, anything else is an error', () => {
    assert.deepEqual(parseReply('stream: OK\0'), { infected: false });
    assert.deepEqual(parseReply('stream: Win.Test.EICAR_HDB-1 FOUND\0'), {
      infected: true,
      virus: 'Win.Test.EICAR_HDB-1',
    });
    assert.throws(() => parseReply('INSTREAM size limit exceeded. ERROR\0'), ScannerError);
    assert.throws(() => parseReply("stream: Can't open file ERROR"), /ERROR/);
    assert.throws(() => parseReply(''), ScannerError);
  });

  it('accepts tcp://host:port only', () => {
    assert.deepEqual(clamdAddress('tcp://127.0.0.1:3310'), { host: '127.0.0.1', port: 3310 });
    assert.deepEqual(clamdAddress('tcp://[::1]:3310'), { host: '::1', port: 3310 });
    assert.throws(() => clamdAddress('http://127.0.0.1:3310'), ScannerError);
    assert.throws(() => clamdAddress('tcp://clamd'), ScannerError);
  });
});

describe('scanning through clamd', () => {
  it('sends the exact bytes, in chunks of 64 KiB at most, and reads OK', async () => {
    const data = Buffer.alloc(3 * 65_536 + 1234, 7);
    const result = await clamdScanner(clamd.url).scan(reads(data, [100_000, 1, 150_000]));
    assert.deepEqual(result, { infected: false });
    assert.equal(clamd.connections, 1);
    const [stream] = clamd.streams;
    assert.deepEqual(stream?.data, data, 'flux reconstitué à l’identique');
    assert.ok(
      stream!.chunks.every((size) => size > 0 && size <= 65_536),
      `${stream!.chunks}`,
    );
    assert.equal(
      stream!.chunks.reduce((a, b) => a + b, 0),
      data.length,
    );
    assert.ok(stream!.chunks.length >= 4, 'un gros fichier fait plusieurs blocs');
  });

  it('finds EICAR even when a chunk boundary cuts it in two', async () => {
    const data = Buffer.from(`%PDF-1.7\n${EICAR}\n%%EOF`, 'latin1');
    const result = await clamdScanner(clamd.url, { chunkBytes: 7 }).scan(reads(data, [20, 13, 5]));
    assert.deepEqual(result, { infected: true, virus: EICAR_NAME });
    assert.ok(clamd.streams[0]!.chunks.every((size) => size <= 7));
    assert.deepEqual(clamd.streams[0]!.data, data);
  });

  it('gives up after the timeout when clamd never answers, and closes the file', async () => {
    clamd.mode = 'silent';
    const content = Readable.from([Buffer.from('%PDF-1.7 silence')]);
    const started = Date.now();
    await assert.rejects(
      clamdScanner(clamd.url, { timeoutMs: 300 }).scan(content),
      (error: unknown) => error instanceof ScannerError && /n’a pas répondu en 300 ms/.test(error.message),
    );
    assert.ok(Date.now() - started < 2000);
    assert.ok(content.destroyed);
  });

  it('fails with a ScannerError when clamd is down, hangs up, answers an error or refuses the size', async () => {
    clamd.mode = 'error';
    await assert.rejects(
      clamdScanner(clamd.url).scan(Readable.from([Buffer.from('x')])),
      /Réponse de clamd : stream: Can't allocate memory ERROR/,
    );
    clamd.mode = 'close';
    await assert.rejects(clamdScanner(clamd.url).scan(Readable.from([Buffer.from('x')])), ScannerError);
    clamd.mode = 'scan';
    const tooBig = Readable.from(
      (function* () {
        for (let i = 0; i < 30; i++) yield Buffer.alloc(1024 * 1024);
      })(),
    );
    await assert.rejects(clamdScanner(clamd.url).scan(tooBig), /size limit exceeded/);
    await clamd.stop();
    try {
      await assert.rejects(
        clamdScanner(clamd.url).scan(Readable.from([Buffer.from('x')])),
        (error: unknown) => error instanceof ScannerError && /clamd injoignable/.test(error.message),
      );
    } finally {
      await clamd.start();
    }
  });
});
