/**
 * Free TCP ports, found synchronously: Playwright's config is loaded synchronously (and again in
 * every worker), so it cannot await a listen(). A child Node process listens on port 0 until it
 * holds as many usable ports as wanted — all open at once, so they differ — prints them and exits.
 */
import { execFileSync } from 'node:child_process';

/** Ports above 1024 that Chromium refuses to load pages from (ERR_UNSAFE_PORT). */
export const CHROMIUM_BLOCKED_PORTS = [
  1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669,
  6679, 6697, 10080,
];

const LISTEN_ON_ZERO = `
const net = require('node:net');
const [host, count, blocked] = [process.argv[1], Number(process.argv[2]), JSON.parse(process.argv[3])];
const held = [];
const usable = () => held.filter((s) => !blocked.includes(s.address().port));
const next = () => {
  if (usable().length === count) {
    console.log(JSON.stringify(usable().map((s) => s.address().port)));
    for (const s of held) s.close();
    return;
  }
  const s = net.createServer();
  s.listen(0, host, () => { held.push(s); next(); });
};
next();
`;

/**
 * `count` distinct ports that nothing listened on a moment ago. Another process may still take
 * one before we bind it: servers are started with --strictPort and checked for this run's token.
 */
export function freePortsSync(count: number, host = '127.0.0.1'): number[] {
  if (!Number.isInteger(count) || count < 1) throw new Error(`freePortsSync: bad count ${count}`);
  const args = ['-e', LISTEN_ON_ZERO, host, String(count), JSON.stringify(CHROMIUM_BLOCKED_PORTS)];
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 10_000 });
  const ports = JSON.parse(out) as unknown;
  if (
    !Array.isArray(ports) ||
    ports.length !== count ||
    !ports.every((p) => Number.isInteger(p) && p > 0 && p < 65536)
  ) {
    throw new Error(`freePortsSync: unexpected answer from the port probe: ${out.trim()}`);
  }
  return ports as number[];
}

export function freePortSync(host = '127.0.0.1'): number {
  return freePortsSync(1, host)[0] as number;
}
