import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ApiTestContext } from '../support/api-context';

const assets = readdirSync(join(__dirname, '..', '..', 'dist', 'console', 'assets'));

describe('the api serves the console at /console', () => {
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start();
  });

  afterAll(() => sut.close());

  it('serves the app with a strict Content-Security-Policy and a fresh style nonce', async () => {
    const first = await sut.http().get('/console').expect(200);
    const second = await sut.http().get('/console/').expect(200);

    const csp = first.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(first.text).toContain(`nonce="${nonce}"`);
    expect(first.text).not.toContain('__CSP_NONCE__');
    expect(second.headers['content-security-policy']).not.toContain(`'nonce-${nonce}'`);
    expect(first.headers['cache-control']).toContain('no-store');
    expect(first.headers['x-content-type-options']).toBe('nosniff');
    // Every script is a file from this origin: no inline <script> body.
    expect(first.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
  });

  it('answers client routes with the app, so a deep link or a reload works', async () => {
    const response = await sut.http().get('/console/queue/3f0d7c2e-1111-4222-8333-444455556666');

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.text).toContain('<div id="root"></div>');
  });

  it('caches hashed assets for a year and never answers a missing one with the app', async () => {
    const script = assets.find((name) => name.endsWith('.js'));
    expect(script).toBeDefined();

    const asset = await sut.http().get(`/console/assets/${script}`).expect(200);
    const missing = await sut.http().get('/console/assets/index-00000000.js');

    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-type']).toContain('javascript');
    expect(missing.status).toBe(404);
    expect(missing.text).not.toContain('<div id="root">');
  });

  it('leaves other methods and paths to the api', async () => {
    await sut.http().post('/console').send({}).expect(404);
    await sut.http().get('/consoles').expect(404);
  });
});

describe('the console of an api that runs no gateway (CONSOLE_GATEWAY_URL)', () => {
  let sut: ApiTestContext;

  beforeAll(async () => {
    sut = await ApiTestContext.start({ consoleGatewayUrl: 'http://127.0.0.1:3001' });
  });

  afterAll(() => sut.close());

  it('tells the app where its socket goes, and its CSP lets it connect there', async () => {
    const page = await sut.http().get('/console').expect(200);

    expect(page.text).toContain(
      '<meta name="gmdesk-gateway-url" content="http://127.0.0.1:3001" />',
    );
    expect(page.headers['content-security-policy']).toContain(
      'ws://127.0.0.1:3001 wss://127.0.0.1:3001',
    );
  });
});
