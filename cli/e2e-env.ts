/**
 * The e2e run's ports and server token, chosen once. Playwright loads its config in the runner
 * and again in every worker; the runner's choice is written into process.env, which the workers
 * and the webServer commands inherit, so all of them agree.
 */
import { freePortsSync } from './free-port';
import { newRunToken, RUN_TOKEN_ENV } from './run-token';

export interface E2eEnv {
  port: number;
  devPort: number;
  token: string;
}

export function ensureE2eEnv(
  env: NodeJS.ProcessEnv = process.env,
  pickPorts: (count: number) => number[] = freePortsSync,
  pickToken: () => string = newRunToken,
): E2eEnv {
  const missing = ['KINLENS_E2E_PORT', 'KINLENS_E2E_DEV_PORT'].filter((k) => !env[k]);
  const picked = missing.length > 0 ? pickPorts(missing.length) : [];
  missing.forEach((key, i) => (env[key] = String(picked[i])));
  const token = env[RUN_TOKEN_ENV] || pickToken();
  env[RUN_TOKEN_ENV] = token;
  return {
    port: portFrom(env, 'KINLENS_E2E_PORT'),
    devPort: portFrom(env, 'KINLENS_E2E_DEV_PORT'),
    token,
  };
}

function portFrom(env: NodeJS.ProcessEnv, key: string): number {
  const value = env[key] ?? '';
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    throw new Error(`${key}: expected a TCP port (1–65535), got "${value}"`);
  }
  return port;
}
