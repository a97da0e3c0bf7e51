/**
 * A per-run token that our vite servers (dev and preview) send as a response header, so that a
 * test run or a bench never measures a server it did not start (one left over on the port, or
 * another checkout's). vite.config.ts adds the header when KINLENS_RUN_TOKEN is set.
 */
import { randomUUID } from 'node:crypto';

export const RUN_TOKEN_ENV = 'KINLENS_RUN_TOKEN';
export const RUN_TOKEN_HEADER = 'X-KinLens-Run';

export function newRunToken(): string {
  return randomUUID();
}

/** The header for vite's server/preview `headers`; none when no token is set. */
export function runTokenHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const token = env[RUN_TOKEN_ENV];
  return token ? { [RUN_TOKEN_HEADER]: token } : {};
}

/** Why the server at `url` is not this run's (null when it is). */
export function foreignServerProblem(
  url: string,
  got: string | null,
  token: string,
): string | null {
  if (got === token) return null;
  const seen = got === null ? `no ${RUN_TOKEN_HEADER} header` : `${RUN_TOKEN_HEADER}: ${got}`;
  return (
    `${url} is not the server this run started (${seen}, expected ${token}). ` +
    'Something else listens on that port: stop it, or let the run pick a free port.'
  );
}

/** Throws unless the server at `url` answers with this run's token. */
export async function assertOurServer(
  url: string,
  token: string,
  fetchFn: typeof fetch = fetch,
): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(url, { method: 'GET', cache: 'no-store' });
  } catch (e) {
    throw new Error(`${url}: no server answers (${e instanceof Error ? e.message : String(e)})`);
  }
  await response.body?.cancel();
  const problem = foreignServerProblem(url, response.headers.get(RUN_TOKEN_HEADER), token);
  if (problem) throw new Error(problem);
}
