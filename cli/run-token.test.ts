import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { assertOurServer, RUN_TOKEN_HEADER, runTokenHeaders } from './run-token';

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  server = null;
});

/** A local server that answers with `headers`; resolves to its URL. */
function serve(headers: Record<string, string>): Promise<string> {
  return new Promise((ok) => {
    server = createServer((_req, res) => {
      res.writeHead(200, headers);
      res.end('<!doctype html>');
    });
    server.listen(0, '127.0.0.1', () =>
      ok(`http://127.0.0.1:${(server?.address() as AddressInfo).port}/`),
    );
  });
}

describe('run token', () => {
  it('is sent only when set', () => {
    expect(runTokenHeaders({ KINLENS_RUN_TOKEN: 'abc' })).toEqual({ [RUN_TOKEN_HEADER]: 'abc' });
    expect(runTokenHeaders({})).toEqual({});
  });

  it('accepts the server that carries this run’s token', async () => {
    const url = await serve({ [RUN_TOKEN_HEADER]: 'run-1' });
    await expect(assertOurServer(url, 'run-1')).resolves.toBeUndefined();
  });

  it('names the URL and both tokens for another run’s server', async () => {
    const url = await serve({ [RUN_TOKEN_HEADER]: 'run-0' });
    await expect(assertOurServer(url, 'run-1')).rejects.toThrow(
      `${url} is not the server this run started (X-KinLens-Run: run-0, expected run-1)`,
    );
  });

  it('says so when the server sends no token at all', async () => {
    const url = await serve({});
    await expect(assertOurServer(url, 'run-1')).rejects.toThrow(
      `${url} is not the server this run started (no X-KinLens-Run header, expected run-1)`,
    );
  });

  it('says when nothing answers', async () => {
    const url = await serve({});
    await new Promise<void>((done) => server?.close(() => done()));
    server = null;
    await expect(assertOurServer(url, 'run-1')).rejects.toThrow(`${url}: no server answers`);
  });
});
