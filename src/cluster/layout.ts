import path from 'node:path';
import { projectRoot } from '../paths.js';

/** Where the cluster keeps everything: one ignored folder, so `reset` and `git clean` know what is ours. */
export function clusterLayout(root: string = projectRoot) {
  const base = path.join(root, '.cluster');
  const bin = path.join(base, 'bin');
  const config = path.join(base, 'config');
  const run = path.join(base, 'run');
  const logs = path.join(base, 'logs');
  return {
    base,
    bin,
    /** Records which versions the binaries in bin/ were built from, so a start skips the build. */
    stamp: path.join(bin, 'versions.json'),
    server: path.join(bin, 'temporal-server'),
    sqlTool: path.join(bin, 'temporal-sql-tool'),
    uiServer: path.join(bin, 'temporal-ui-server'),
    /** GOBIN of a build in progress: `go install` names the binaries after their package folders (server, sql). */
    staging: path.join(bin, 'staging'),
    postgresData: path.join(base, 'postgres'),
    /** Secrets that exist only on this machine (the database role's password), mode 0600. */
    secrets: path.join(base, 'secrets'),
    config,
    serverConfig: path.join(config, 'temporal.yaml'),
    dynamicConfig: path.join(config, 'dynamicconfig.yaml'),
    /** ui-server reads `<config dir>/<env>.yaml`; we run it with `--config ui --env cluster` from config/. */
    uiConfigDir: path.join(config, 'ui'),
    uiConfig: path.join(config, 'ui', 'cluster.yaml'),
    run,
    /** PostgreSQL's Unix socket; only its owner can enter the folder, so local connections need no password. */
    postgresSocketDir: path.join(run, 'postgres'),
    /** The ports and namespaces of the running cluster, for `status` and a second `start`. */
    state: path.join(run, 'cluster.json'),
    pidFile: (name: string) => path.join(run, `${name}.pid`),
    logs,
    log: (name: string) => path.join(logs, `${name}.log`),
  };
}

export type ClusterLayout = ReturnType<typeof clusterLayout>;
