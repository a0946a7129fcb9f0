import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, chmodSync, chownSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childEnvironment } from '../config/env.js';
import { DATABASE_ROLE, TEMPORAL_DATABASE, VISIBILITY_DATABASE } from './config.js';
import type { ClusterLayout } from './layout.js';

/** PostgreSQL refuses to run as root; when we are root, its processes run as this OS user. */
const DATABASE_OS_USER = 'postgres';
/** Debian's packages put the server binaries here and only psql on PATH. */
const DEBIAN_BIN_DIR = '/usr/lib/postgresql/15/bin';

export interface PostgresTools {
  initdb: string;
  pgCtl: string;
  psql: string;
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Finds PostgreSQL's initdb, pg_ctl and psql on PATH, else where Debian installs PostgreSQL 15. */
export function findPostgresTools(pathVariable: string): PostgresTools {
  const dirs = [...pathVariable.split(path.delimiter).filter((dir) => dir !== ''), DEBIAN_BIN_DIR];
  const find = (name: string) => {
    const found = dirs.map((dir) => path.join(dir, name)).find(isExecutable);
    if (found === undefined) {
      throw new Error(`PostgreSQL's ${name} was not found on PATH or in ${DEBIAN_BIN_DIR}. Install PostgreSQL 15 (Debian: apt-get install postgresql-15) and run again.`);
    }
    return found;
  };
  return { initdb: find('initdb'), pgCtl: find('pg_ctl'), psql: find('psql') };
}

const runningAsRoot = () => process.getuid?.() === 0;

function databaseOwner(): { uid: number; gid: number } | undefined {
  if (!runningAsRoot()) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === DATABASE_OS_USER);
  if (passwd === undefined) throw new Error(`Running as root, PostgreSQL needs an OS user "${DATABASE_OS_USER}" to run as; create it (useradd --system ${DATABASE_OS_USER}) or run as another user.`);
  return { uid: Number(passwd[2]), gid: Number(passwd[3]) };
}

/** Creates a folder that the database's OS user owns and alone may enter. */
function ownedFolder(dir: string): void {
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o700);
  const owner = databaseOwner();
  if (owner !== undefined) chownSync(dir, owner.uid, owner.gid);
}

/** Runs a PostgreSQL binary as the database's OS user; resolves with stdout, rejects with stderr. */
function run(executable: string, args: string[], input?: string): Promise<string> {
  const [command, commandArgs] = runningAsRoot() ? ['runuser', ['-u', DATABASE_OS_USER, '--', executable, ...args]] : [executable, args];
  return new Promise((resolve, reject) => {
    // LC_ALL=C: initdb and psql follow the caller's locale, which may not exist in this system's locale list.
    const child = execFile(command, commandArgs, { env: childEnvironment({ LC_ALL: 'C.UTF-8' }), cwd: os.tmpdir() }, (error, stdout, stderr) => {
      if (error === null) resolve(stdout);
      else reject(new Error(`${path.basename(executable)} ${args.join(' ')} failed: ${stderr.trim() || error.message}`));
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface Postgres {
  port: number;
  running(): Promise<boolean>;
  /** Initialises the data folder when it has none. Returns whether it did. */
  initialise(): Promise<boolean>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The `temporal` role and both databases, created once; returns the role's password. */
  ensureDatabases(): Promise<string>;
}

/** A PostgreSQL whose data, socket and log live in .cluster/, on 127.0.0.1:`port` only. */
export function clusterPostgres(layout: ClusterLayout, tools: PostgresTools, port: number): Postgres {
  const data = layout.postgresData;
  const passwordFile = path.join(layout.secrets, 'postgres-temporal-password');
  const superuser = 'postgres';
  const psql = (database: string, sql: string) =>
    run(tools.psql, ['-X', '-q', '-t', '-A', '-v', 'ON_ERROR_STOP=1', '-h', layout.postgresSocketDir, '-p', String(port), '-U', superuser, '-d', database], sql);

  const password = () => {
    if (existsSync(passwordFile)) return readFileSync(passwordFile, 'utf8').trim();
    mkdirSync(layout.secrets, { recursive: true, mode: 0o700 });
    const created = randomBytes(24).toString('hex');
    writeFileSync(passwordFile, `${created}\n`, { mode: 0o600 });
    return created;
  };

  return {
    port,
    async running() {
      if (!existsSync(path.join(data, 'PG_VERSION'))) return false;
      try {
        await run(tools.pgCtl, ['-D', data, 'status']);
        return true;
      } catch {
        return false;
      }
    },
    async initialise() {
      if (existsSync(path.join(data, 'PG_VERSION'))) return false;
      ownedFolder(data);
      // Local (socket) connections are trusted: the socket's folder admits only the database's OS user. TCP needs
      // the role's password.
      await run(tools.initdb, ['-D', data, '-U', superuser, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
      return true;
    },
    async start() {
      ownedFolder(layout.postgresSocketDir);
      mkdirSync(layout.logs, { recursive: true });
      const logFile = layout.log('postgres');
      if (!existsSync(logFile)) writeFileSync(logFile, '');
      const owner = databaseOwner();
      if (owner !== undefined) chownSync(logFile, owner.uid, owner.gid);
      // pg_ctl hands these to a shell: quote the path.
      const settings = `-p ${port} -k "${layout.postgresSocketDir}" -c listen_addresses=127.0.0.1`;
      // pg_ctl detaches the server itself; -w waits until it accepts connections.
      await run(tools.pgCtl, ['-D', data, '-l', logFile, '-o', settings, '-w', '-t', '60', 'start']);
    },
    async stop() {
      if (!(await this.running())) return;
      // fast: roll back open transactions and shut down cleanly, without waiting for clients to leave.
      await run(tools.pgCtl, ['-D', data, '-m', 'fast', '-w', '-t', '60', 'stop']);
    },
    async ensureDatabases() {
      const secret = password();
      // Sent on stdin, so the password never shows in a process list.
      await psql(
        'postgres',
        `SELECT format('CREATE ROLE %I LOGIN', '${DATABASE_ROLE}') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DATABASE_ROLE}')\\gexec\n` +
          `ALTER ROLE ${DATABASE_ROLE} PASSWORD '${secret}';\n`,
      );
      for (const database of [TEMPORAL_DATABASE, VISIBILITY_DATABASE]) {
        await psql(
          'postgres',
          `SELECT format('CREATE DATABASE %I OWNER %I', '${database}', '${DATABASE_ROLE}') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${database}')\\gexec\n`,
        );
      }
      return secret;
    },
  };
}
