import { createServer, type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { freePortSync, freePortsSync } from './free-port';

/** Listens on `port` (0: any) and answers the bound port and a close function. */
function listen(port: number): Promise<{ port: number; close: () => Promise<void> }> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () =>
      ok({
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((done) => server.close(() => done())),
      }),
    );
  });
}

describe('freePortsSync', () => {
  it('returns distinct ports that can be bound right after', async () => {
    const ports = freePortsSync(3);
    expect(ports).toHaveLength(3);
    expect(new Set(ports).size).toBe(3);
    const servers = await Promise.all(ports.map(listen));
    expect(servers.map((s) => s.port)).toEqual(ports);
    await Promise.all(servers.map((s) => s.close()));
  });

  it('never returns a port that something listens on', async () => {
    const busy = await listen(0);
    try {
      expect(freePortsSync(16)).not.toContain(busy.port);
      expect(freePortSync()).not.toBe(busy.port);
    } finally {
      await busy.close();
    }
  });

  it('rejects a count that is not a positive integer', () => {
    expect(() => freePortsSync(0)).toThrow('freePortsSync: bad count 0');
  });
});
