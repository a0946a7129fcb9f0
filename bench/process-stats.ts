// CPU and memory of a process and its descendants, read from /proc (Linux): the benchmark samples the worker and
// the Temporal server by pid while a scenario runs.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ; 100 on every Linux build we run on). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, in ticks. */
  ticks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the parenthesised command name: state(0) ppid(1) … utime(11) stime(12).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined; // gone
  }
}

/** `pid` and every process below it. */
export function processTree(pid: number): number[] {
  const all: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readStat(Number(entry));
    if (stat !== undefined) all.push(stat);
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of all) {
      if (!tree.has(stat.pid) && tree.has(stat.ppid)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  return [...tree];
}

/** A field of /proc/<pid>/status in kB (VmRSS, VmHWM), or 0 when the process is gone. */
function statusKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] === undefined ? 0 : Number(match[1]);
  } catch {
    return 0;
  }
}

export interface ProcessUsage {
  pid: number;
  /** CPU seconds (user + system) used during the sampled interval, by the process and its descendants. */
  cpuSeconds: number;
  /** cpuSeconds ÷ wall seconds: 1.0 = one core busy all the time. */
  averageCores: number;
  /** Highest one-interval CPU use, in cores. */
  peakCores: number;
  /** Highest sampled resident set (VmRSS, summed over the tree), MiB. */
  peakRssMiB: number;
  /** The kernel's high-water mark of the resident set since the process started (VmHWM, summed over the tree), MiB. */
  highWaterRssMiB: number;
}

/**
 * Samples a process tree every `intervalMs` from `start()` until `stop()`. CPU is the difference of the tree's
 * utime+stime between the two; children that exit in between take their ticks with them (none do here).
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private startTicks = 0;
  private startedAt = 0;
  private lastTicks = 0;
  private lastAt = 0;
  private peakCores = 0;
  private peakRssKb = 0;
  private highWaterKb = 0;

  constructor(
    readonly pid: number,
    /** Count the process's descendants too (the worker and the Temporal server); not for the benchmark's own process. */
    private readonly withDescendants = true,
    private readonly intervalMs = 1_000,
  ) {}

  private sample(): { ticks: number; at: number } {
    const tree = this.withDescendants ? processTree(this.pid) : [this.pid];
    const ticks = tree.reduce((sum, pid) => sum + (readStat(pid)?.ticks ?? 0), 0);
    this.peakRssKb = Math.max(this.peakRssKb, tree.reduce((sum, pid) => sum + statusKb(pid, 'VmRSS'), 0));
    this.highWaterKb = Math.max(this.highWaterKb, tree.reduce((sum, pid) => sum + statusKb(pid, 'VmHWM'), 0));
    return { ticks, at: performance.now() };
  }

  start(): this {
    const { ticks, at } = this.sample();
    this.startTicks = this.lastTicks = ticks;
    this.startedAt = this.lastAt = at;
    this.timer = setInterval(() => {
      const { ticks: now, at: when } = this.sample();
      const cores = (now - this.lastTicks) / TICKS_PER_SECOND / Math.max((when - this.lastAt) / 1000, 1e-3);
      this.peakCores = Math.max(this.peakCores, cores);
      this.lastTicks = now;
      this.lastAt = when;
    }, this.intervalMs);
    this.timer.unref();
    return this;
  }

  stop(): ProcessUsage {
    clearInterval(this.timer);
    const { ticks, at } = this.sample();
    const cpuSeconds = (ticks - this.startTicks) / TICKS_PER_SECOND;
    const wallSeconds = Math.max((at - this.startedAt) / 1000, 1e-3);
    const mib = (kb: number) => round(kb / 1024, 1);
    return {
      pid: this.pid,
      cpuSeconds: round(cpuSeconds, 2),
      averageCores: round(cpuSeconds / wallSeconds, 3),
      peakCores: round(this.peakCores, 3),
      peakRssMiB: mib(this.peakRssKb),
      highWaterRssMiB: mib(this.highWaterKb),
    };
  }
}

export const round = (value: number, digits: number): number => Math.round(value * 10 ** digits) / 10 ** digits;
