import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The postmaster of a data folder: the first line of its postmaster.pid. */
export function postmasterOf(dataDir: string): number {
  return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** The children of a process, as /proc says now. */
function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === parent; // fields after "(comm)": state, ppid
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
}

/**
 * Freezes every PostgreSQL process (SIGSTOP): what a stuck disk, a saturated host or a network partition looks like
 * from the application, whose TCP connections stay open with no answer coming. The postmaster first, so that it
 * forks no new backend meanwhile, then its children until a look at /proc finds none left running (a backend forked
 * just before the postmaster stopped). Returns the thaw (SIGCONT).
 */
export function freezePostgres(dataDir: string): () => void {
  const postmaster = postmasterOf(dataDir);
  process.kill(postmaster, 'SIGSTOP');
  const stopped = new Set<number>([postmaster]);
  for (
    let fresh = childrenOf(postmaster);
    fresh.length > 0;
    fresh = childrenOf(postmaster).filter((pid) => !stopped.has(pid))
  ) {
    for (const pid of fresh) {
      stopped.add(pid);
      try {
        process.kill(pid, 'SIGSTOP');
      } catch {
        // ended meanwhile
      }
    }
  }
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const pid of stopped) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
  };
}
