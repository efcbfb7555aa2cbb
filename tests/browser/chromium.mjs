// Debian's Chromium driven by playwright-core, with the flags this machine needs (no
// sandbox, no GPU, no network of its own), and the demo's server on 127.0.0.1: what
// every browser test starts with. CHROMIUM overrides the browser's path.
import { chromium } from "playwright-core";
import { startServer } from "../../scripts/serve.mjs";

export async function start() {
  const { server, url } = await startServer(0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ],
  });
  return { server, url, browser };
}
