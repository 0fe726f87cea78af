import { readdirSync, readFileSync } from 'node:fs';

// Which processes a freeze stopped, found from /proc: the PIDs that are stopped (state T) after
// the freeze and were not before. A provider's freeze may reach processes it never named
// (PostgreSQL backends, each in its own session), and a last-resort thaw at exit needs them all.

/** Descendants of `root` (this process by default) that are stopped right now. Linux only. */
export function stoppedDescendants(root: number = process.pid): Set<number> {
  const children = new Map<number, number[]>();
  const stopped = new Set<number>();
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return stopped; // No /proc (not Linux): nothing to find.
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): state ppid ...
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const pid = Number(entry);
      const parent = Number(ppid);
      children.set(parent, [...(children.get(parent) ?? []), pid]);
      if (state === 'T') stopped.add(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  const found = new Set<number>();
  const queue = [...(children.get(root) ?? [])];
  for (let pid = queue.pop(); pid !== undefined; pid = queue.pop()) {
    if (stopped.has(pid)) found.add(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}
