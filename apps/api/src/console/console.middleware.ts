import { APP_CONFIG, type AppConfig } from '@gmdesk/config';
import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import express from 'express';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { contentSecurityPolicy, findConsoleDir, IndexHtml } from './console-assets';

const IMMUTABLE = 'public, max-age=31536000, immutable';

function securityHeaders(response: Response): void {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * Serves the built console (apps/console) under /console:
 * - `/console/assets/*` are content-hashed by Vite: cached for a year, immutable; a missing one
 *   is a 404, never the app (a stale tab must not parse HTML as JavaScript);
 * - other files of the build (the favicon) are revalidated on every use;
 * - every other GET under /console is a client route: index.html, never cached, with a strict
 *   Content-Security-Policy carrying a fresh style nonce.
 * Public: the page holds no data, and every call it makes is authenticated.
 */
@Injectable()
export class ConsoleMiddleware implements NestMiddleware {
  private readonly dir = findConsoleDir();
  private readonly index = this.dir ? new IndexHtml(join(this.dir, 'index.html')) : undefined;
  private readonly files: RequestHandler | undefined = this.dir
    ? express.static(this.dir, {
        index: false,
        redirect: false,
        fallthrough: true,
        setHeaders: (response, path) => {
          securityHeaders(response);
          response.setHeader(
            'Cache-Control',
            path.includes(`${join('assets', '')}`) ? IMMUTABLE : 'no-cache',
          );
        },
      })
    : undefined;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  use(request: Request, response: Response, next: NextFunction): void {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    // Nest mounts this at /console: request.url is the rest of the path ('/', '/queue', …).
    const path = request.path;
    if (!this.files || !this.index) {
      securityHeaders(response);
      response
        .status(503)
        .type('text/plain')
        .send('The console is not built. Run `npm run build` (or `npm start`, which builds it).\n');
      return;
    }
    if (path.startsWith('/assets/')) {
      this.files(request, response, () => {
        securityHeaders(response);
        response.status(404).type('text/plain').send('Not found\n');
      });
      return;
    }
    this.files(request, response, () => this.sendApp(request, response));
  }

  private sendApp(request: Request, response: Response): void {
    const nonce = randomBytes(18).toString('base64');
    securityHeaders(response);
    const gatewayUrl = this.config.consoleGatewayUrl;
    response.setHeader(
      'Content-Security-Policy',
      contentSecurityPolicy(nonce, request.headers.host, gatewayUrl),
    );
    response.setHeader('Cache-Control', 'no-cache, no-store');
    response.status(200).type('html').send(this.index?.render(nonce, gatewayUrl));
  }
}
