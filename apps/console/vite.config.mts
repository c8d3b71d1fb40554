import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The gmdesk that `npm run console:dev` proxies to (REST and the /staff socket). */
const target = process.env.GMDESK_URL ?? 'http://127.0.0.1:3000';

/**
 * The console is served by the api at /console (apps/api/src/console), so it is built with that
 * base. The libs it shares with the server are consumed as TypeScript sources: contracts is plain
 * types and constants, the SDK depends only on socket.io-client.
 */
export default defineConfig({
  root: here('.'),
  base: '/console/',
  plugins: [react()],
  resolve: {
    alias: {
      '@gmdesk/contracts': here('../../libs/contracts/src/index.ts'),
      '@gmdesk/sdk': here('../../libs/sdk/src/index.ts'),
    },
  },
  html: {
    // Replaced per response by the api with a fresh nonce (the CSP allows only those inline
    // <style> tags, which Mantine writes for its CSS variables; scripts come from 'self' only).
    cspNonce: '__CSP_NONCE__',
  },
  build: {
    outDir: here('../../dist/console'),
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 900,
    rolldownOptions: {
      output: {
        // Vendor code changes far less often than ours: a separate, long-cached chunk.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            // @mantine/charts (and Recharts) only in the dashboard's lazy chunk.
            {
              name: 'mantine',
              test: /node_modules[\\/]@mantine[\\/](core|hooks|notifications)[\\/]/,
            },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    strictPort: false,
    proxy: {
      '/socket.io': {
        target,
        ws: true,
        changeOrigin: true,
        // The gateway admits browser handshakes only from CORS_ORIGINS. The dev server is a
        // local proxy, so it forwards the socket without the browser's Origin (as a non-browser
        // client would connect) rather than asking for the dev origin to be allowed.
        configure: (proxy) => {
          proxy.on('proxyReqWs', (request) => request.removeHeader('origin'));
        },
      },
      // Everything else outside the console's base (REST, /docs, /health) goes to gmdesk too.
      '^/(?!console(/|$))': { target, changeOrigin: true },
    },
  },
});
