/**
 * CPU time, which (unlike wall time) a busy neighbour on the machine barely changes:
 * this thread's, this process's, and the whole machine's (Linux /proc; undefined elsewhere).
 */
import { readFileSync } from 'node:fs';

/** /proc reports times in USER_HZ ticks, 100 per second on Linux. */
const TICK_MS = 10;

/** CPU time of the calling thread (user + system), ms, or undefined without /proc. */
export function threadCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS; // fields 14 and 15: utime, stime
  } catch {
    return undefined;
  }
}

/** CPU time of the whole process (every thread), ms. */
export function processCpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Busy time of every CPU of the machine added up (all processes), ms, or undefined without /proc. */
export function machineBusyMs(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * TICK_MS;
  } catch {
    return undefined;
  }
}

/**
 * Time the calling thread has run on a CPU, ms, in nanoseconds' precision (/proc/thread-self/schedstat),
 * or undefined without it. Used where runs are short (the Cognito comparison's concurrency-1 runs):
 * /proc's stat counts in 10 ms ticks.
 */
export function threadRuntimeMs(): number | undefined {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ', 1)[0]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}
