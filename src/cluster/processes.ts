import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The command line of a process, where /proc shows it; undefined elsewhere. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in `pidFile` if that process still runs `executable`. A pid file outlives a reboot or a kill -9,
 * and the number may since belong to another program: matching the command line keeps `stop` from signalling it.
 */
export function recordedPid(pidFile: string, executable: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').trim(), 10);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  const command = commandLine(pid);
  return command === undefined || command.includes(executable) ? pid : undefined;
}

export interface DetachedOptions {
  executable: string;
  args: string[];
  cwd: string;
  /** stdout and stderr are appended here. */
  logFile: string;
  pidFile: string;
}

/**
 * Starts a process that outlives this script: its own process group, output to a log file, no pipe back to us, and
 * its pid in `pidFile`.
 */
export function startDetached(options: DetachedOptions): number {
  const log = openSync(options.logFile, 'a');
  try {
    const child = spawn(options.executable, options.args, { cwd: options.cwd, detached: true, stdio: ['ignore', log, log] });
    if (child.pid === undefined) throw new Error(`Could not start ${options.executable}; see ${options.logFile}.`);
    child.unref();
    writeFileSync(options.pidFile, `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. Returns how it ended. */
export async function stopProcess(pid: number, graceMs: number): Promise<'stopped' | 'killed'> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return 'stopped';
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!alive(pid)) return 'stopped';
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    return 'stopped';
  }
  while (alive(pid)) await sleep(100);
  return 'killed';
}

/** Stops what `pidFile` records, if it still runs, and removes the file. */
export async function stopRecorded(pidFile: string, executable: string, graceMs: number): Promise<'stopped' | 'killed' | 'not running'> {
  const pid = recordedPid(pidFile, executable);
  const outcome = pid === undefined ? 'not running' : await stopProcess(pid, graceMs);
  rmSync(pidFile, { force: true });
  return outcome;
}

/** Whether something accepts TCP connections on host:port. */
export function portAnswers(port: number, host = '127.0.0.1', timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
