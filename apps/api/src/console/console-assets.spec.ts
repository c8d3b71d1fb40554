import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { contentSecurityPolicy, IndexHtml, NONCE_PLACEHOLDER } from './console-assets';

describe('the console page', () => {
  let dir: string;
  let sut: IndexHtml;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'console-'));
    const file = join(dir, 'index.html');
    writeFileSync(
      file,
      `<html><head><meta property="csp-nonce" nonce="${NONCE_PLACEHOLDER}" /></head><body></body></html>`,
    );
    sut = new IndexHtml(file);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names no gateway when the socket goes to the page’s own origin', () => {
    const html = sut.render('n0nce');

    expect(html).toContain('nonce="n0nce"');
    expect(html).not.toContain('gmdesk-gateway-url');
    expect(contentSecurityPolicy('n0nce', 'desk.example:3000')).toContain(
      "connect-src 'self' ws://desk.example:3000 wss://desk.example:3000;",
    );
  });

  it('names CONSOLE_GATEWAY_URL in a meta tag and lets the page open sockets to it', () => {
    const html = sut.render('n0nce', 'http://127.0.0.1:3001');

    expect(html).toContain(
      '<meta name="gmdesk-gateway-url" content="http://127.0.0.1:3001" />\n  </head>',
    );
    expect(contentSecurityPolicy('n0nce', '127.0.0.1:3000', 'http://127.0.0.1:3001')).toContain(
      "connect-src 'self' ws://127.0.0.1:3000 wss://127.0.0.1:3000 ws://127.0.0.1:3001 wss://127.0.0.1:3001;",
    );
  });
});
