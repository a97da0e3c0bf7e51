import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { runTokenHeaders } from './cli/run-token.ts';
import { vendorAssets } from './cli/vendor-assets.ts';

/** Cross-origin isolation (WASM threads need SharedArrayBuffer). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/**
 * Only our own origin. 'wasm-unsafe-eval' compiles the tfjs/h5wasm WebAssembly; blob: is where the
 * tfjs WASM thread pool and object URLs of dropped images live.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' blob: data:",
  "font-src 'self'",
  "connect-src 'self' blob: data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
];

/** frame-ancestors only works as a header; browsers log an error for it in a meta tag. */
const CSP_HEADER = [...CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"].join('; ');
const CSP_META = CONTENT_SECURITY_POLICY.join('; ');

const MIME: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.bin': 'application/octet-stream',
};

/**
 * Listed for the worker: encoders a deployer preinstalled as public/models/<id>/model.json, and
 * the built-in kinship heads in public/models/heads/<encoder id>/ (model.json + meta.json).
 */
function preinstalledModelsIndex(): string {
  const dir = join(process.cwd(), 'public/models');
  const withFiles = (folder: string, files: string[]): string[] =>
    existsSync(folder)
      ? readdirSync(folder).filter((id) => files.every((f) => existsSync(join(folder, id, f))))
      : [];
  return JSON.stringify({
    models: withFiles(dir, ['model.json']),
    heads: withFiles(join(dir, 'heads'), ['model.json', 'meta.json']),
  });
}

function vendorAssetsPlugin(): Plugin {
  const assets = vendorAssets(process.cwd());
  return {
    name: 'kinlens-vendor-assets',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const path = (req.url ?? '').split('?')[0]?.replace(/^\//, '');
        if (path === 'models/index.json') {
          res.setHeader('Content-Type', 'application/json');
          res.end(preinstalledModelsIndex());
          return;
        }
        const asset = assets.find((a) => a.url === path);
        if (!asset) return next();
        res.setHeader('Content-Type', MIME[extname(asset.file)] ?? 'application/octet-stream');
        res.end(readFileSync(asset.file));
      });
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'models/index.json',
        source: preinstalledModelsIndex(),
      });
      for (const a of assets) {
        this.emitFile({ type: 'asset', fileName: a.url, source: readFileSync(a.file) });
      }
    },
  };
}

/** The production build carries the CSP as a meta tag too, for static hosts that cannot set it. */
function cspMetaPlugin(): Plugin {
  return {
    name: 'kinlens-csp-meta',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`,
      );
    },
  };
}

export default defineConfig({
  base: './',
  plugins: [react(), vendorAssetsPlugin(), cspMetaPlugin()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    // tfjs-backend-wasm starts its thread pool from `factory.toString()` in a Blob; a minifier
    // renames the closure variables that string refers to ("e is not defined" in every thread).
    minify: false,
    rollupOptions: {
      input: {
        main: resolve(process.cwd(), 'index.html'),
        bench: resolve(process.cwd(), 'src/bench/index.html'),
      },
    },
  },
  // runTokenHeaders: X-KinLens-Run when KINLENS_RUN_TOKEN is set (e2e runs and the bench check
  // that they talk to the server they started).
  server: {
    port: 5173,
    strictPort: false,
    headers: { ...ISOLATION_HEADERS, ...runTokenHeaders() },
  },
  preview: {
    port: 4173,
    strictPort: true,
    headers: { ...ISOLATION_HEADERS, 'Content-Security-Policy': CSP_HEADER, ...runTokenHeaders() },
  },
  optimizeDeps: {
    exclude: ['h5wasm'],
  },
});
