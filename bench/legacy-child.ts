/**
 * One `legacy:import` run in a process of its own, so that its peak resident memory is its own: prints one JSON line
 * with the summaries, the duration and the process's peak RSS (and its RSS before the import, modules loaded).
 */
import { importLegacyDossiers } from '../src/legacy/import.ts';

const rssBeforeMb = Math.round(process.memoryUsage().rss / 1048576);
const started = performance.now();
const summaries = await importLegacyDossiers({
  connectionString: process.env.DATABASE_URL!,
  paths: process.argv.slice(2),
});
const ms = performance.now() - started;
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
console.log(JSON.stringify({ summaries, ms, rssBeforeMb, peakRssMb }));
