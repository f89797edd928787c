// Vitest global setup: one moto server per test worker, started when a file of that worker first asks
// (`startMoto`), kept for the worker's later files and stopped when the run ends. Starting moto and loading
// its RDS and KMS models takes seconds; a server per file paid that about thirty times a run.
import { createServer } from 'node:http';
import { listenOnLoopback } from './http-forward.js';
import { launchMotoProcess, MOTO_BROKER_ENV, type MotoProcess, stopMotoProcess } from './moto.js';

const WORKER = /^\/worker\/(\d+)$/;

export default async function setup(): Promise<() => Promise<void>> {
  const servers = new Map<string, Promise<MotoProcess>>();
  const broker = createServer((req, res) => {
    const worker = WORKER.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || worker === undefined) {
      res.writeHead(404).end();
      return;
    }
    let server = servers.get(worker);
    if (!server) {
      server = launchMotoProcess({ ...process.env });
      servers.set(worker, server);
    }
    server.then(
      ({ port, child }) => {
        if (child.exitCode !== null || child.signalCode !== null) {
          // It died (killed from outside): the next request starts another.
          servers.delete(worker);
          res.writeHead(503, { 'content-type': 'application/json' });
          res.end(
            JSON.stringify({ error: `the moto server of worker ${worker} exited; run the file again` }),
          );
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ port }));
      },
      (error: unknown) => {
        servers.delete(worker);
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: error instanceof Error ? error.message : String(error) }));
      },
    );
  });
  // Workers inherit the environment of the main process as it is when they start, after this setup.
  process.env[MOTO_BROKER_ENV] = await listenOnLoopback(broker);

  return async () => {
    delete process.env[MOTO_BROKER_ENV];
    broker.closeAllConnections();
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    const started = await Promise.allSettled(servers.values());
    await Promise.all(
      started.map((result) =>
        result.status === 'fulfilled' ? stopMotoProcess(result.value.child) : undefined,
      ),
    );
  };
}
