import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where `npm run build` puts the console (apps/console/vite.config.mts: dist/console). */
const CONSOLE_DIR = join('dist', 'console');
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * Finds the built console: under the working directory (npm start, the Docker image's /app), or
 * above this file (tests run from the sources; the build runs from dist/apps/…).
 */
export function findConsoleDir(start = __dirname, cwd = process.cwd()): string | undefined {
  const candidates = [join(cwd, CONSOLE_DIR)];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    candidates.push(join(dir, CONSOLE_DIR));
    if (dirname(dir) === dir) {
      break;
    }
  }
  return candidates.find((candidate) => existsSync(join(candidate, 'index.html')));
}

/** index.html, re-read when a rebuild changed it (a running gmdesk picks up `npm run build`). */
export class IndexHtml {
  private cached: { mtimeMs: number; html: string } | undefined;

  constructor(private readonly file: string) {}

  /** With `gatewayUrl`, a `<meta name="gmdesk-gateway-url">` tells the app where its socket goes. */
  render(nonce: string, gatewayUrl?: string): string {
    const { mtimeMs } = statSync(this.file);
    if (!this.cached || this.cached.mtimeMs !== mtimeMs) {
      this.cached = { mtimeMs, html: readFileSync(this.file, 'utf8') };
    }
    const html = this.cached.html.split(NONCE_PLACEHOLDER).join(nonce);
    return gatewayUrl === undefined
      ? html
      : html.replace(
          '</head>',
          `<meta name="${GATEWAY_URL_META}" content="${escapeAttribute(gatewayUrl)}" />\n  </head>`,
        );
  }
}

/** The meta tag apps/console reads its socket's origin from (src/app/live-events.ts). */
export const GATEWAY_URL_META = 'gmdesk-gateway-url';

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The console's Content-Security-Policy: scripts only from this origin (no inline script, no
 * eval); inline <style> only with this response's nonce (Mantine writes its CSS variables in
 * one); sockets and fetches to this origin only (and sockets to CONSOLE_GATEWAY_URL when set);
 * no framing, no plugins, no <base>.
 */
export function contentSecurityPolicy(
  nonce: string,
  host: string | undefined,
  gatewayUrl?: string,
): string {
  const hosts = [host, gatewayUrl === undefined ? undefined : new URL(gatewayUrl).host].filter(
    (item): item is string => item !== undefined && item !== '',
  );
  const sockets = [...new Set(hosts)].map((item) => ` ws://${item} wss://${item}`).join('');
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${sockets}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
