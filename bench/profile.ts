/**
 * `node --import tsx bench/profile.ts FILE.cpuprofile [--by=function|file|package|inclusive] [--top=40]`: reads a V8 CPU profile
 * (the one `BENCH_CPU_PROFILE=<folder>` makes SignUp write) and prints where the busy time went, by self time: the
 * share of the samples spent in each function, file or package, idle time left out. A profile gives shares, not
 * costs: compare two profiles of the same request, and read the costs from the bench's own figures.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type Grouping = 'function' | 'file' | 'package';

/** The package a script belongs to (`express`, `@node-rs/argon2`), `node:` for Node's own, `app` for ours. */
function packageOf(url: string): string {
  if (url === '') return 'V8 / native';
  if (url.startsWith('node:')) return 'node:';
  const modules = url.lastIndexOf('node_modules/');
  if (modules === -1) return 'app';
  const rest = url.slice(modules + 'node_modules/'.length).split('/');
  return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
}

function keyOf(node: ProfileNode, by: Grouping): string {
  const { functionName, url, lineNumber } = node.callFrame;
  if (by === 'package') return packageOf(url);
  const file = url.includes('node_modules/') ? url.slice(url.lastIndexOf('node_modules/') + 13) : path.basename(url);
  if (by === 'file') return file || functionName;
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
}

/** Self time per key, in microseconds, and the busy total (every sample but `(idle)`). */
export function selfTimes(profile: Profile, by: Grouping): { totals: Map<string, number>; busy: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    if (node.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[i] ?? 0;
    busy += delta;
    const key = keyOf(node, by);
    totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  return { totals, busy };
}

/** Time with each function on the stack (counted once per sample, however deep it recurses), in microseconds. */
export function inclusiveTimes(profile: Profile): { totals: Map<string, number>; busy: number } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const totals = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    if (byId.get(id)!.callFrame.functionName === '(idle)') return;
    const delta = profile.timeDeltas[i] ?? 0;
    busy += delta;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at))
      seen.add(keyOf(byId.get(at)!, 'function'));
    for (const key of seen) totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  return { totals, busy };
}

function main(): void {
  const [file, ...options] = process.argv.slice(2);
  if (!file) {
    console.error(
      'usage: node --import tsx bench/profile.ts FILE.cpuprofile [--by=function|file|package|inclusive] [--top=N]',
    );
    process.exitCode = 2;
    return;
  }
  const option = (name: string) => options.find((o) => o.startsWith(`--${name}=`))?.split('=')[1];
  const by = (option('by') ?? 'function') as Grouping | 'inclusive';
  const top = Number(option('top') ?? 40);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const { totals, busy } = by === 'inclusive' ? inclusiveTimes(profile) : selfTimes(profile, by);
  console.log(
    `busy ${(busy / 1e6).toFixed(2)} s, by ${by === 'inclusive' ? 'function (inclusive time)' : `${by} (self time)`}:`,
  );
  for (const [key, micros] of [...totals].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((100 * micros) / busy).toFixed(1).padStart(5)} %  ${key}`);
}

main();
