import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MOUNTS = { '/demo/': join(ROOT, 'demo'), '/fixtures/': join(ROOT, 'tests/fixtures') };
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
};

/**
 * Serves the demo feed and the fixtures on 127.0.0.1 (a free port). `routes` adds test-only
 * responses by exact path, e.g. a 404 image or a slow one. `onRequest` sees every request first
 * (tests that count who downloaded what).
 * @param {{ port?: number, routes?: Record<string, (request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void>, onRequest?: (request: import('node:http').IncomingMessage) => void }} [options]
 */
export async function serveDemo({ port = 0, routes = {}, onRequest } = {}) {
  const server = createServer(async (request, response) => {
    onRequest?.(request);
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const route = routes[path];
    if (route) return route(request, response);
    if (path === '/') {
      response.writeHead(302, { location: '/demo/' });
      return response.end();
    }
    const mount = Object.keys(MOUNTS).find((prefix) => path.startsWith(prefix));
    if (!mount) return notFound(response);
    const base = MOUNTS[mount];
    const relative = path.slice(mount.length);
    const file = normalize(join(base, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative));
    if (!file.startsWith(base)) return notFound(response);
    try {
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      response.end(body);
    } catch {
      notFound(response);
    }
  });
  await new Promise((resolveListen) => server.listen(port, '127.0.0.1', resolveListen));
  const address = server.address();
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}`;
  return {
    origin,
    feedUrl: `${origin}/demo/`,
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}

function notFound(response) {
  response.writeHead(404, { 'content-type': 'text/plain' });
  response.end('not found');
}
