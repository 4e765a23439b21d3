// Builds the benchmark page + module worker (web/) and serves it with `vite preview`, plus the cached dataset files
// from .cache/ under /data/ (binary, fetched by the worker). Cross-origin isolation gives the page
// performance.measureUserAgentSpecificMemory() and fine-grained performance.now().
import { createReadStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));
const isolation = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

function serveCache(): Plugin {
  const handler = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const m = /^\/data\/([\w.-]+)$/.exec(req.url ?? '');
    if (!m) return next();
    const file = join(here, '.cache', m[1]);
    if (!existsSync(file)) {
      res.statusCode = 404;
      return res.end();
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Content-Length', String(statSync(file).size));
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    createReadStream(file).pipe(res);
  };
  return {
    name: 'bench-serve-cache',
    configureServer: (s) => void s.middlewares.use(handler),
    configurePreviewServer: (s) => void s.middlewares.use(handler),
  };
}

export default defineConfig({
  root: join(here, 'web'),
  plugins: [serveCache()],
  server: { headers: isolation, fs: { allow: [join(here, '..', '..')] } },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: { outDir: join(here, '.cache', 'web-dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 5000 },
  logLevel: 'warn',
});
