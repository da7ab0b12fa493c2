import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The PostgreSQL processes of a data folder: the postmaster (first line of postmaster.pid) and all its children. */
export function postgresProcesses(dataDir: string): number[] {
  const postmaster = Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster; // fields after "(comm)": state, ppid
      } catch {
        return false; // ended meanwhile
      }
    })
    .map(Number);
  return [postmaster, ...children];
}

/**
 * Freezes every PostgreSQL process (SIGSTOP): what a stuck disk, a saturated host or a network partition looks like
 * from the application, whose TCP connections stay open with no answer coming. Returns the thaw (SIGCONT).
 */
export function freezePostgres(dataDir: string): () => void {
  const pids = postgresProcesses(dataDir);
  for (const pid of pids) process.kill(pid, 'SIGSTOP');
  let thawed = false;
  return () => {
    if (thawed) return;
    thawed = true;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGCONT');
      } catch {
        // already gone
      }
    }
  };
}
