import { withTimeout } from '@gmdesk/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** SIGKILL: no shutdown hooks, no goodbye to clients (a crash). */
  kill(): Promise<void>;
  /** SIGTERM and wait for a clean exit. */
  stop(): Promise<void>;
}

/** A standalone gateway process (apps/gateway/src/main.ts) on a random port. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', 'apps/gateway/src/main.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      LOG_PRETTY: 'false',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const url = await withTimeout(
    new Promise<string>((resolveUrl, reject) => {
      let stdout = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /gmdesk gateway listening on (http:\/\/\S+)/.exec(stdout);
        if (match?.[1]) {
          resolveUrl(match[1].replace('[::1]', '127.0.0.1'));
        }
      });
      child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
    }),
    60_000,
    'the gateway process to listen',
  );
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await withTimeout(exited, 10_000, 'the gateway process to die');
    },
    async stop() {
      child.kill('SIGTERM');
      await withTimeout(exited, 20_000, 'the gateway process to stop');
    },
  };
}
