/** A real Prometheus Alertmanager (Debian's prometheus-alertmanager) on loopback, for tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ALERTMANAGER = ['/usr/bin/prometheus-alertmanager', '/usr/bin/alertmanager'].find((p) => existsSync(p));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface RunningAlertmanager {
  readonly url: string;
  alerts(): Promise<{ labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[]>;
  stop(): Promise<void>;
}

export async function startAlertmanager(port: number): Promise<RunningAlertmanager> {
  const dir = mkdtempSync(join(tmpdir(), 'stallscope-am-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, "route:\n  receiver: 'null'\nreceivers:\n  - name: 'null'\n");
  const child: ChildProcess = spawn(
    ALERTMANAGER!,
    [`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('Alertmanager did not become ready in 20 s');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    async alerts() {
      const r = await fetch(`${url}/api/v2/alerts`);
      return (await r.json()) as { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string }[];
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    },
  };
}
