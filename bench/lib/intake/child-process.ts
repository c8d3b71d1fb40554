import { spawn, type ChildProcess } from 'node:child_process';
import { sleep, withTimeout } from '../timing';

/** Keeps the last lines a child printed, to show when it fails or logs warnings. */
export class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';
  total = 0;

  constructor(private readonly keep = 40) {}

  push(chunk: Buffer | string): void {
    const text = this.partial + chunk.toString();
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.total += 1;
      this.lines.push(line);
      if (this.lines.length > this.keep) {
        this.lines.shift();
      }
    }
  }

  text(): string {
    return [...this.lines, ...(this.partial ? [this.partial] : [])].join('\n');
  }
}

/** A child process of the bench: spawned, its output kept, stopped with a deadline. */
export class BenchChild {
  readonly output = new OutputTail();
  readonly exited: Promise<number | null>;
  private exitCode: number | null | undefined;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => this.output.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitCode = code ?? (signal ? -1 : null);
        resolve(this.exitCode);
      });
    });
  }

  static spawn(
    name: string,
    command: string,
    args: readonly string[],
    options: { env: NodeJS.ProcessEnv; cwd: string; ipc?: boolean },
  ): BenchChild {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: options.ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
    });
    return new BenchChild(name, child);
  }

  get pid(): number {
    if (this.child.pid === undefined) {
      throw new Error(`${this.name} has no pid (did it fail to spawn?)`);
    }
    return this.child.pid;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  /** Fails with the child's last output when it exits before `promise` settles. */
  async whileRunning<T>(promise: Promise<T>, what: string): Promise<T> {
    const died = this.exited.then((code) => {
      throw new Error(`${this.name} exited (code ${code}) while ${what}:\n${this.output.text()}`);
    });
    return Promise.race([promise, died]);
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 15_000): Promise<number | null> {
    if (!this.running) {
      return this.exitCode ?? null;
    }
    this.child.kill('SIGTERM');
    try {
      return await withTimeout(this.exited, graceMs, `${this.name} to exit`);
    } catch {
      this.child.kill('SIGKILL');
      return withTimeout(this.exited, 5_000, `${this.name} to die`).catch(() => null);
    }
  }
}

/** Polls `url` until it answers 2xx; fails after `timeoutMs` or when the child exits. */
export async function waitForHttp(
  child: BenchChild,
  url: string,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const poll = async (): Promise<void> => {
    for (;;) {
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `${child.name} did not answer ${url} within ${timeoutMs} ms:\n${child.output.text()}`,
        );
      }
      await sleep(200);
    }
  };
  await child.whileRunning(poll(), `starting (waiting for ${url})`);
}
