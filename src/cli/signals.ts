/**
 * Resolves on the first SIGINT (Ctrl-C) or SIGTERM, keeping the process alive until then. The handlers stay
 * installed so that the copies of the signal that npm and tsx relay do not kill the process while it stops.
 */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  const keepAlive = setInterval(() => undefined, 60_000);
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      clearInterval(keepAlive);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
