/**
 * Cancellation across the worker boundary. AbortSignal cannot be cloned, so the client gives each
 * long call a job id and calls `cancel(id)` when its own signal fires; worker code receives a
 * real AbortSignal for that id and checks it between units of work.
 */
const controllers = new Map<number, AbortController>();

export function startJob(jobId: number): AbortSignal {
  const controller = new AbortController();
  controllers.set(jobId, controller);
  return controller.signal;
}

export function endJob(jobId: number): void {
  controllers.delete(jobId);
}

export function cancelJob(jobId: number): boolean {
  const controller = controllers.get(jobId);
  if (!controller) return false;
  controller.abort();
  return true;
}

/** Runs `work` under a signal registered for `jobId`, always releasing the registration. */
export async function runJob<T>(
  jobId: number,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const signal = startJob(jobId);
  try {
    return await work(signal);
  } finally {
    endJob(jobId);
  }
}
