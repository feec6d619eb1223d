/** nginx answering `return 204` on a loopback port: the fastest target we can get, for ceilings. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinned, which } from './peers.js';
import { waitForPort } from './net.js';

export interface RunningTarget { url: string; stop(): Promise<void> }

export async function startNginx204(port: number, core: number): Promise<RunningTarget> {
  const nginx = which('nginx');
  if (!nginx) throw new Error('nginx is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'ujibeban-nginx-'));
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path ${dir};
  proxy_temp_path ${dir};
  fastcgi_temp_path ${dir};
  uwsgi_temp_path ${dir};
  scgi_temp_path ${dir};
  server { listen 127.0.0.1:${port}; location / { return 204; } }
}
`);
  const [cmd, ...args] = pinned(core, [nginx, '-c', join(dir, 'nginx.conf'), '-p', dir]);
  const child: ChildProcess = spawn(cmd, args, { stdio: 'ignore' });
  await waitForPort(port);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGQUIT');
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
    }),
  };
}
