/** Reads the DSFR CSS on stdin, writes its subset for our files on stdout (run by `dsfrSubset` on a cache miss). */
import { text } from 'node:stream/consumers';
import { purgeDsfr } from './dsfr-subset.ts';

process.stdout.write((await purgeDsfr(await text(process.stdin))).css);
