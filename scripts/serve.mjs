// A static file server for the demo page, bound to 127.0.0.1 only (no dependencies).
// Serves the repository root so that the page (www/), the package (pkg/) and the seed
// fixture (tests/fixtures/) are all reachable; `/` redirects to the demo.
//
//   node scripts/serve.mjs [PORT]      (default 8080; 0 picks a free port)
//
// Imported by the browser tests: `startServer(0)` resolves to {server, url}.
import { createReadStream, statSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".wasm": "application/wasm",
  ".ts": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};
// Only these top-level folders are served.
const SERVED = ["www", "pkg", "tests/fixtures"];

function handle(req, res) {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
  } catch {
    res.writeHead(400).end("bad request");
    return;
  }
  if (path === "/" || path === "/www") {
    res.writeHead(302, { location: "/www/" }).end();
    return;
  }
  if (path.endsWith("/")) path += "index.html";
  const file = normalize(join(ROOT, path));
  const allowed = SERVED.some((dir) => file.startsWith(join(ROOT, dir) + sep));
  let stat;
  try {
    stat = allowed && statSync(file);
  } catch {
    stat = null;
  }
  if (!stat || !stat.isFile()) {
    res.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${path}`);
    return;
  }
  res.writeHead(200, {
    "content-type": TYPES[extname(file)] ?? "application/octet-stream",
    "content-length": stat.size,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
  });
  if (req.method === "HEAD") res.end();
  else createReadStream(file).pipe(res);
}

export function startServer(port = 8080) {
  return new Promise((resolve, reject) => {
    const server = createServer(handle);
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const url = `http://127.0.0.1:${server.address().port}/www/`;
      resolve({ server, url });
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? process.env.PORT ?? 8080);
  startServer(port).then(
    ({ url }) => console.log(`boildown demo: ${url}  (Ctrl-C stops the server)`),
    (e) => {
      console.error(`error: cannot listen on 127.0.0.1:${port}: ${e.message}`);
      process.exit(1);
    },
  );
}
