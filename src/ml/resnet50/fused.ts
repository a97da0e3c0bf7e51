/**
 * Inference-only ResNet50 with BatchNormalization folded into the preceding convolution:
 * W' = W·γ/√(σ²+ε), b' = (b − μ)·γ/√(σ²+ε) + β, and the following ReLU fused into the same
 * `tf.fused.conv2d` call. One kernel instead of three per conv/BN/ReLU triple cuts memory
 * traffic roughly in half on WASM, where ResNet50 is memory-bound; the features equal the
 * layers model's within float32 rounding (tested: cosine ≥ 0.9999).
 *
 * The graph is read from the same plan as the layers builder, so names and order cannot drift.
 * Two more exact rewrites: a ZeroPadding2D in front of a max-pool of ReLU output becomes the
 * pool's own padding (XNNPACK ignores padded cells, and a window never is all padding, so with
 * inputs ≥ 0 the maximum is the same), and `runPixels` folds the preprocessing into the stem
 * (stem-fold.ts).
 */
import type { PixelImage } from '../face/pixels';
import { tf } from '../tf';
import type { Tensor4D } from '../tf';
import { resnet50Plan, type LayerSpec } from './architecture';
import { meanBgrFor } from './preprocess';
import {
  foldPreprocessingIntoStem,
  paddedPixelBatch,
  stemPadding,
  type StemGeometry,
} from './stem-fold';
import type { ResNetVariant } from './variants';

type ConvSpec = Extract<LayerSpec, { kind: 'conv' }>;

interface FusedConv {
  kind: 'fused-conv';
  /** The name of the last layer folded in (its output is this op's output). */
  output: string;
  input: string;
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  strides: number;
  padding: 'same' | 'valid';
  relu: boolean;
}

type Op =
  | FusedConv
  | { kind: 'zeropad'; output: string; input: string; pad: number }
  | { kind: 'maxpool'; output: string; input: string; pool: number; strides: number; pad: number }
  | { kind: 'avgpool'; output: string; input: string; pool: number; strides: number }
  | { kind: 'add'; output: string; inputs: [string, string] }
  | { kind: 'relu'; output: string; input: string };

export interface FusedResNet50 {
  readonly variant: ResNetVariant;
  /** Preprocessed [N, H, W, 3] → final feature map (same as the layers model's output). */
  run(x: Tensor4D): Tensor4D;
  /**
   * Equally sized 0–255 RGB(A) images → the same feature map as `run` of their preprocessed
   * batch, with the preprocessing folded into the stem: no tensor op before the first conv.
   */
  runPixels(images: readonly PixelImage[]): Tensor4D;
  dispose(): void;
}

function weightsOf(model: tf.LayersModel, name: string): tf.Tensor[] {
  return model.getLayer(name).getWeights();
}

export function fuseResNet50(model: tf.LayersModel, variant: ResNetVariant): FusedResNet50 {
  const plan = resnet50Plan(variant);
  const consumers = new Map<string, number>();
  for (const l of plan) {
    const inputs = l.kind === 'add' ? l.inputs : 'input' in l ? [l.input] : [];
    for (const i of inputs) consumers.set(i, (consumers.get(i) ?? 0) + 1);
  }
  const byInput = new Map<string, LayerSpec[]>();
  for (const l of plan)
    if ('input' in l) byInput.set(l.input, [...(byInput.get(l.input) ?? []), l]);
  const single = (name: string, kind: LayerSpec['kind']): LayerSpec | undefined => {
    const next = byInput.get(name);
    return consumers.get(name) === 1 && next?.length === 1 && next[0]?.kind === kind
      ? next[0]
      : undefined;
  };

  const ops: Op[] = [];
  const folded = new Set<string>();
  /** Outputs known to be ≥ 0 (ReLU outputs), where zero padding equals ignored padding. */
  const nonNegative = new Set<string>();
  const poolPad = new Map<string, { input: string; pad: number }>();
  let inputName = '';
  for (const layer of plan) {
    if (folded.has(layer.name)) continue;
    switch (layer.kind) {
      case 'input':
        inputName = layer.name;
        break;
      case 'conv': {
        const op = foldConv(model, layer, single, folded);
        if (op.relu) nonNegative.add(op.output);
        ops.push(op);
        break;
      }
      case 'bn':
        throw new Error(`BatchNormalization ${layer.name} does not follow a convolution`);
      case 'relu':
        nonNegative.add(layer.name);
        ops.push({ kind: 'relu', output: layer.name, input: layer.input });
        break;
      case 'zeropad': {
        const pool = single(layer.name, 'maxpool');
        if (pool && nonNegative.has(layer.input)) {
          poolPad.set(pool.name, { input: layer.input, pad: layer.pad });
          break;
        }
        ops.push({ kind: 'zeropad', output: layer.name, input: layer.input, pad: layer.pad });
        break;
      }
      case 'maxpool': {
        const padded = poolPad.get(layer.name);
        ops.push({
          kind: 'maxpool',
          output: layer.name,
          input: padded?.input ?? layer.input,
          pool: layer.pool,
          strides: layer.strides,
          pad: padded?.pad ?? 0,
        });
        break;
      }
      case 'avgpool':
        ops.push({
          kind: layer.kind,
          output: layer.name,
          input: layer.input,
          pool: layer.pool,
          strides: layer.strides,
        });
        break;
      case 'add':
        ops.push({ kind: 'add', output: layer.name, inputs: layer.inputs });
        break;
    }
  }
  const last = ops.at(-1)?.output ?? inputName;
  const stem = foldStem(ops, inputName, variant);
  let disposed = false;
  const execute = (program: readonly Op[], x: Tensor4D): Tensor4D => {
    if (disposed) throw new Error('fused ResNet50 used after dispose()');
    return tf.tidy(() => runOps(program, inputName, last, x));
  };

  return {
    variant,
    run: (x: Tensor4D): Tensor4D => execute(ops, x),
    runPixels(images: readonly PixelImage[]): Tensor4D {
      const first = images[0];
      if (!first) throw new RangeError('runPixels: no images');
      const pad = stemPadding(stem.geometry, first.height, first.width);
      const batch = paddedPixelBatch(images, pad, stem.fillRgb);
      try {
        return execute(stem.ops, batch);
      } finally {
        batch.dispose();
      }
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      for (const op of [...ops, stem.conv]) {
        if (op.kind === 'fused-conv') {
          op.filter.dispose();
          op.bias.dispose();
        }
      }
    },
  };
}

function runOps(program: readonly Op[], inputName: string, last: string, x: Tensor4D): Tensor4D {
  const values = new Map<string, Tensor4D>([[inputName, x]]);
  const get = (name: string): Tensor4D => {
    const v = values.get(name);
    if (!v) throw new Error(`fused ResNet50: ${name} has no value`);
    return v;
  };
  for (const op of program) {
    let out: Tensor4D;
    switch (op.kind) {
      case 'fused-conv':
        out = tf.fused.conv2d({
          x: get(op.input),
          filter: op.filter,
          strides: op.strides,
          pad: op.padding,
          bias: op.bias,
          activation: op.relu ? 'relu' : 'linear',
        });
        break;
      case 'zeropad':
        out = tf.pad(get(op.input), [
          [0, 0],
          [op.pad, op.pad],
          [op.pad, op.pad],
          [0, 0],
        ]);
        break;
      case 'maxpool':
        out = tf.maxPool(get(op.input), op.pool, op.strides, op.pad === 0 ? 'valid' : op.pad);
        break;
      case 'avgpool':
        out = tf.avgPool(get(op.input), op.pool, op.strides, 'valid');
        break;
      case 'add':
        out = tf.add(get(op.inputs[0]), get(op.inputs[1]));
        break;
      case 'relu':
        out = tf.relu(get(op.input));
        break;
    }
    values.set(op.output, out);
  }
  return get(last);
}

interface FoldedStem {
  geometry: StemGeometry;
  /** The stem conv with the preprocessing folded in, 'valid' on the mean-padded raw input. */
  conv: FusedConv;
  /** `conv` followed by every op after the original stem conv. */
  ops: Op[];
  /** The variant's mean in RGB order: the raw colour that preprocesses to 0. */
  fillRgb: [number, number, number];
}

/** The stem is the first conv, optionally behind a ZeroPadding2D of the input (Keras conv1_pad). */
function foldStem(ops: readonly Op[], inputName: string, variant: ResNetVariant): FoldedStem {
  const index = ops.findIndex((op) => op.kind === 'fused-conv');
  const conv = ops[index];
  const pad = index === 1 ? ops[0] : undefined;
  const padsInput = pad?.kind === 'zeropad' && pad.input === inputName;
  if (conv?.kind !== 'fused-conv' || index > 1 || (index === 1 && !padsInput)) {
    throw new Error('fused ResNet50: the stem is not [ZeroPadding2D →] Conv2D');
  }
  if (conv.input !== (padsInput ? pad.output : inputName)) {
    throw new Error('fused ResNet50: the stem conv does not read the input');
  }
  const meanBgr = meanBgrFor(variant);
  const { filter, bias } = foldPreprocessingIntoStem(conv.filter, conv.bias, meanBgr);
  const geometry: StemGeometry = {
    kernel: conv.filter.shape[0],
    strides: conv.strides,
    padding: conv.padding,
    zeroPad: padsInput ? pad.pad : 0,
  };
  const folded: FusedConv = { ...conv, input: inputName, filter, bias, padding: 'valid' };
  return {
    geometry,
    conv: folded,
    ops: [folded, ...ops.slice(index + 1)],
    fillRgb: [meanBgr[2], meanBgr[1], meanBgr[0]],
  };
}

function foldConv(
  model: tf.LayersModel,
  conv: ConvSpec,
  single: (name: string, kind: LayerSpec['kind']) => LayerSpec | undefined,
  folded: Set<string>,
): FusedConv {
  const [kernel, convBias] = weightsOf(model, conv.name) as [tf.Tensor4D, tf.Tensor1D | undefined];
  const bn = single(conv.name, 'bn');
  if (!bn || bn.kind !== 'bn')
    throw new Error(`convolution ${conv.name} is not followed by BatchNormalization`);
  folded.add(bn.name);
  const relu = single(bn.name, 'relu');
  if (relu) folded.add(relu.name);
  const [gamma, beta, mean, variance] = weightsOf(model, bn.name) as [
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Tensor1D,
    tf.Tensor1D,
  ];
  const { filter, bias } = tf.tidy(() => {
    const scale = gamma.div(variance.add(bn.epsilon).sqrt());
    const b0 = convBias ?? tf.zerosLike(mean);
    return {
      filter: kernel.mul(scale) as tf.Tensor4D,
      bias: b0.sub(mean).mul(scale).add(beta) as tf.Tensor1D,
    };
  });
  return {
    kind: 'fused-conv',
    output: relu?.name ?? bn.name,
    input: conv.input,
    filter,
    bias,
    strides: conv.strides,
    padding: conv.padding,
    relu: relu !== undefined,
  };
}
