import { describe, expect, it } from 'vitest';
import { ensureE2eEnv } from './e2e-env';

describe('ensureE2eEnv', () => {
  it('picks both ports and a token once and writes them into the environment', () => {
    const env: NodeJS.ProcessEnv = {};
    let calls = 0;
    const pick = (n: number): number[] => {
      calls += 1;
      return [41001, 41002].slice(0, n);
    };
    expect(ensureE2eEnv(env, pick, () => 'tok')).toEqual({
      port: 41001,
      devPort: 41002,
      token: 'tok',
    });
    expect(env).toMatchObject({
      KINLENS_E2E_PORT: '41001',
      KINLENS_E2E_DEV_PORT: '41002',
      KINLENS_RUN_TOKEN: 'tok',
    });
    // A worker loading the config again inherits the runner's choice and picks nothing.
    expect(ensureE2eEnv(env, pick, () => 'other')).toEqual({
      port: 41001,
      devPort: 41002,
      token: 'tok',
    });
    expect(calls).toBe(1);
  });

  it('keeps a port given in the environment and picks only the missing one', () => {
    const env: NodeJS.ProcessEnv = { KINLENS_E2E_PORT: '4510' };
    const result = ensureE2eEnv(
      env,
      (n) => Array.from({ length: n }, () => 50000),
      () => 't',
    );
    expect(result).toEqual({ port: 4510, devPort: 50000, token: 't' });
  });

  it('rejects a port that is not a number, naming the variable', () => {
    expect(() => ensureE2eEnv({ KINLENS_E2E_PORT: 'x', KINLENS_E2E_DEV_PORT: '1' })).toThrow(
      'KINLENS_E2E_PORT: expected a TCP port (1–65535), got "x"',
    );
  });
});
