/**
 * Runs part of a loaded ResNet50 on inputs of any size: re-applies the model's own layers (same
 * weights), following the shared plan, to a new input up to `lastLayer`. Full 224 px passes
 * take tens of seconds on the tfjs cpu backend, and vggface needs ≥ 197 px for its avg_pool, so
 * tests compare values on small inputs and intermediate layers through this.
 *
 * Dispose the returned model before the full model: each holds a reference to the shared layers.
 */
import { tf } from '../ml/tf';
import { resnet50Plan } from '../ml/resnet50/architecture';
import { VARIANT_SPECS, type ResNetVariant } from '../ml/resnet50/variants';

type SymbolicTensor = ReturnType<typeof tf.input>;

/** The last layer before vggface's avg_pool, or the last layer of a Keras variant. */
export function lastFeatureLayer(variant: ResNetVariant): string {
  const plan = resnet50Plan(variant);
  const last = plan[plan.length - (VARIANT_SPECS[variant].keepsAvgPool ? 2 : 1)];
  if (!last) throw new Error('empty plan');
  return last.name;
}

export function truncatedModel(
  model: tf.LayersModel,
  variant: ResNetVariant,
  inputSize: number,
  lastLayer: string = lastFeatureLayer(variant),
): tf.LayersModel {
  const input = tf.input({ shape: [inputSize, inputSize, 3] });
  const outputs = new Map<string, SymbolicTensor>();
  const get = (name: string): SymbolicTensor => {
    const t = outputs.get(name);
    if (!t) throw new Error(`no output for ${name}`);
    return t;
  };
  for (const spec of resnet50Plan(variant)) {
    if (spec.kind === 'input') {
      outputs.set(spec.name, input);
    } else {
      const layer = model.getLayer(spec.name);
      const args = spec.kind === 'add' ? spec.inputs.map(get) : get(spec.input);
      outputs.set(spec.name, layer.apply(args) as SymbolicTensor);
    }
    if (spec.name === lastLayer) return tf.model({ inputs: input, outputs: get(spec.name) });
  }
  throw new Error(`layer ${lastLayer} is not in the ${variant} plan`);
}

/** Runs `model` on `x` and returns the output values; disposes the output. */
export async function run(model: tf.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const y = model.predict(x) as tf.Tensor;
  try {
    return (await y.data()) as Float32Array;
  } finally {
    y.dispose();
  }
}

export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  return m;
}

export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return dot / Math.sqrt(na * nb);
}

/** A seeded, asymmetric test image of 0–255 values, [1, size, size, 3]. */
export function testImage(size: number, seed = 1): tf.Tensor4D {
  const values = new Float32Array(size * size * 3);
  let s = seed >>> 0;
  for (let i = 0; i < values.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    values[i] = (s >>> 24) % 256;
  }
  return tf.tensor4d(values, [1, size, size, 3]);
}
