/**
 * Training throughput of the Siamese head on synthetic embeddings.
 *
 *   npx tsx cli/bench-head.ts [--backend cpu|wasm] [--dims 4096,128] [--batch 128] [--steps 40]
 *
 * Prints training pairs/s per embedding size (validation excluded), measured after a warm-up
 * epoch.
 */
import { parseArgs } from 'node:util';
import { headTrainingRates } from '../src/ml/head/throughput';
import { tf } from '../src/ml/tf';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'cpu' },
    dims: { type: 'string', default: '4096,128' },
    batch: { type: 'string', default: '128' },
    steps: { type: 'string', default: '40' },
    threads: { type: 'string' },
  },
});

async function setBackend(name: string): Promise<void> {
  if (name === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (values.threads) wasm.setThreadsCount(Number(values.threads));
  }
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
  await tf.ready();
}

await setBackend(values.backend);
console.log(`backend: ${tf.getBackend()}`);
for (const dim of values.dims.split(',').map(Number)) {
  const rates = await headTrainingRates({
    dim,
    batchSize: Number(values.batch),
    stepsPerEpoch: Number(values.steps),
    families: 60,
  });
  const measured = rates.slice(1); // epoch 1 includes kernel warm-up
  const mean = measured.reduce((a, b) => a + b, 0) / measured.length;
  console.log(
    `d=${dim}: ${Math.round(mean).toLocaleString('en-US')} training pairs/s ` +
      `(batch ${values.batch}, epochs: ${rates.map((r) => Math.round(r)).join(', ')})`,
  );
}
