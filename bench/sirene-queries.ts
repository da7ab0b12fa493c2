/** What people type in the directory search, for bench/sirene.ts: varied, seeded, and timing statistics. */
import { communeName, FIRST_NAMES, pick, seededRandom, SURNAMES, TRADES, type Random } from './sirene-names.ts';

const SIGLES = ['ccas', 'sivom', 'siaep', 'sdis', 'smictom', 'dinum', 'DGEFP', 'anct'];

/** Title case with accents put back on a few names, as a person types them: « Saint-Étienne », « Montpellier ». */
function asTyped(random: Random, name: string): string {
  const lower = name.toLowerCase();
  if (random() < 0.5) return lower;
  return lower
    .replace(/\b\w/g, (c) => c.toUpperCase())
    .replace(/ (Sur|Les|En|Le|De|Sous) /g, (m) => `-${m.trim().toLowerCase()}-`)
    .replace('Etienne', 'Étienne');
}

/** One letter dropped: a typo. */
function typo(random: Random, word: string): string {
  const at = 1 + Math.floor(random() * (word.length - 2));
  return word.slice(0, at) + word.slice(at + 1);
}

const MAKERS: [weight: number, make: (random: Random) => string][] = [
  [
    30,
    (r) =>
      communeName(r)
        .toLowerCase()
        .slice(0, 4 + Math.floor(r() * 5)),
  ],
  [15, (r) => `mairie de ${asTyped(r, communeName(r))}`],
  [5, () => 'mairie de'],
  [10, (r) => `Commune de ${asTyped(r, communeName(r)).slice(0, 6)}`],
  [10, (r) => pick(r, SIGLES)],
  [15, (r) => `${pick(r, TRADES)} ${pick(r, SURNAMES)}`.toLowerCase()],
  [5, (r) => typo(r, communeName(r).toLowerCase())],
  [5, (r) => `${pick(r, FIRST_NAMES)} ${pick(r, SURNAMES)}`.toLowerCase()],
  [
    5,
    (r) =>
      pick(r, ['clamart', 'Villeneuve-d’Ascq', 'communauté de communes', 'lycée jean jaurès', 'centre hospitalier']),
  ],
];

export function searchQueries(count: number, seed = 7): string[] {
  const random = seededRandom(seed);
  const total = MAKERS.reduce((sum, [weight]) => sum + weight, 0);
  return Array.from({ length: count }, () => {
    let target = random() * total;
    const maker = MAKERS.find(([weight]) => (target -= weight) < 0) ?? MAKERS[0]!;
    return maker[1](random);
  });
}

export type Timings = { count: number; p50: number; p95: number; p99: number; mean: number; max: number };

/** Nearest-rank percentiles, in ms rounded to 0.01. */
export function timings(durations: number[]): Timings {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
  const round = (ms: number) => Math.round(ms * 100) / 100;
  const mean = sorted.reduce((sum, d) => sum + d, 0) / Math.max(1, sorted.length);
  return {
    count: sorted.length,
    p50: round(at(50)),
    p95: round(at(95)),
    p99: round(at(99)),
    mean: round(mean),
    max: round(at(100)),
  };
}

/** Runs `fn` on each input one after the other and times each call. */
export async function timeEach<T>(
  inputs: T[],
  fn: (input: T) => Promise<unknown>,
): Promise<{ durations: number[]; results: unknown[] }> {
  const durations: number[] = [];
  const results: unknown[] = [];
  for (const input of inputs) {
    const started = performance.now();
    results.push(await fn(input));
    durations.push(performance.now() - started);
  }
  return { durations, results };
}
