/**
 * face-api's faceRecognitionNet (dlib's ResNet-34 face descriptor) rebuilt from its own weights
 * as fused tfjs ops. face-api runs every convolution as five kernels (conv2d, add bias, multiply
 * and add of its scale layer, ReLU), normalises the input with a concat of three fills, and pads
 * the down-sampling shortcuts by concatenating zeros. Here each convolution is one
 * `tf.fused.conv2d` with the scale folded into its weights — W′ = W·s, b′ = b·s + t — and
 * the input normalisation (x − mean)/255 folded into the first one, which is exact because that
 * convolution has no padding; the shortcuts' zero padding is one tf.pad. Same math as
 * face-api's forward within float32 rounding (descriptor-net.test.ts).
 */
import { tf, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';

/** face-api's parameter layout for the net (FaceRecognitionNet.params). */
export interface ConvLayerParams {
  conv: { filters: Tensor4D; bias: Tensor1D };
  scale: { weights: Tensor1D; biases: Tensor1D };
}
export interface ResidualLayerParams {
  conv1: ConvLayerParams;
  conv2: ConvLayerParams;
}
export interface FaceRecognitionParams {
  conv32_down: ConvLayerParams;
  conv32_1: ResidualLayerParams;
  conv32_2: ResidualLayerParams;
  conv32_3: ResidualLayerParams;
  conv64_down: ResidualLayerParams;
  conv64_1: ResidualLayerParams;
  conv64_2: ResidualLayerParams;
  conv64_3: ResidualLayerParams;
  conv128_down: ResidualLayerParams;
  conv128_1: ResidualLayerParams;
  conv128_2: ResidualLayerParams;
  conv256_down: ResidualLayerParams;
  conv256_1: ResidualLayerParams;
  conv256_2: ResidualLayerParams;
  conv256_down_out: ResidualLayerParams;
  fc: Tensor2D;
}

/** face-api's mean colour (RGB, 0–255) for this net. */
const MEAN_RGB = [122.782, 117.001, 104.298];

type FusedConv = { filter: Tensor4D; bias: Tensor1D };

interface FusedResidual {
  conv1: FusedConv;
  conv2: FusedConv;
  down: boolean;
}

/** Blocks in face-api's order; `down` blocks start with a stride-2 'valid' convolution. */
const BLOCKS: ReadonlyArray<[Exclude<keyof FaceRecognitionParams, 'conv32_down' | 'fc'>, boolean]> =
  [
    ['conv32_1', false],
    ['conv32_2', false],
    ['conv32_3', false],
    ['conv64_down', true],
    ['conv64_1', false],
    ['conv64_2', false],
    ['conv64_3', false],
    ['conv128_down', true],
    ['conv128_1', false],
    ['conv128_2', false],
    ['conv256_down', true],
    ['conv256_1', false],
    ['conv256_2', false],
    ['conv256_down_out', true],
  ];

/** Kept: the net may be built inside a caller's tf.tidy and must outlive it. */
function foldScale(p: ConvLayerParams): FusedConv {
  const folded = tf.tidy(() => ({
    filter: tf.mul(p.conv.filters, p.scale.weights) as Tensor4D,
    bias: tf.add(tf.mul(p.conv.bias, p.scale.weights), p.scale.biases) as Tensor1D,
  }));
  return { filter: tf.keep(folded.filter), bias: tf.keep(folded.bias) };
}

/** The stem with (x − mean)/255 folded in: W/255, and b − Σ W·mean/255 before the scale. */
function foldStem(p: ConvLayerParams): FusedConv {
  return tf.tidy(() => {
    const mean = tf.tensor4d(MEAN_RGB, [1, 1, 3, 1]);
    const filters = tf.div(p.conv.filters, 255) as Tensor4D;
    const shift = tf.sum(tf.mul(filters, mean), [0, 1, 2]);
    const bias = tf.sub(p.conv.bias, shift) as Tensor1D;
    return foldScale({ conv: { filters, bias }, scale: p.scale });
  });
}

/**
 * face-api's params from its weight map, whose names are the params' paths
 * (`conv32_1/conv1/scale/weights`, …, `fc`). Throws naming the first missing or misshapen weight.
 */
export function descriptorParamsFromWeightMap(
  weights: Readonly<Record<string, tf.Tensor>>,
): FaceRecognitionParams {
  const need = <T extends tf.Tensor>(name: string, rank: number): T => {
    const t = weights[name];
    if (!t) throw new Error(`weight ${name} is missing`);
    if (t.rank !== rank) throw new Error(`weight ${name} has rank ${t.rank}, expected ${rank}`);
    return t as T;
  };
  const convAt = (path: string): ConvLayerParams => ({
    conv: { filters: need(`${path}/conv/filters`, 4), bias: need(`${path}/conv/bias`, 1) },
    scale: { weights: need(`${path}/scale/weights`, 1), biases: need(`${path}/scale/biases`, 1) },
  });
  const residualAt = (path: string): ResidualLayerParams => ({
    conv1: convAt(`${path}/conv1`),
    conv2: convAt(`${path}/conv2`),
  });
  const blocks = Object.fromEntries(BLOCKS.map(([name]) => [name, residualAt(name)]));
  return {
    conv32_down: convAt('conv32_down'),
    ...blocks,
    fc: need('fc', 2),
  } as FaceRecognitionParams;
}

export interface DescriptorNet {
  /** 0–255 RGB crops [n, 150, 150, 3] → raw (not normalised) descriptors [n, 128]. */
  forward(x: Tensor4D): Tensor2D;
  dispose(): void;
}

export function fuseDescriptorNet(params: FaceRecognitionParams): DescriptorNet {
  const stem = foldStem(params.conv32_down);
  const blocks: FusedResidual[] = BLOCKS.map(([name, down]) => {
    const p = params[name];
    return { conv1: foldScale(p.conv1), conv2: foldScale(p.conv2), down };
  });
  // A copy: the net owns every tensor it uses, so the caller may dispose the params.
  const fc = tf.keep(tf.clone(params.fc));
  const conv = (
    x: Tensor4D,
    c: FusedConv,
    strides: 1 | 2,
    pad: 'same' | 'valid',
    relu: boolean,
  ): Tensor4D =>
    tf.fused.conv2d({
      x,
      filter: c.filter,
      strides,
      pad,
      bias: c.bias,
      ...(relu ? { activation: 'relu' as const } : {}),
    });

  const block = (x: Tensor4D, b: FusedResidual): Tensor4D => {
    const first = b.down ? conv(x, b.conv1, 2, 'valid', true) : conv(x, b.conv1, 1, 'same', true);
    let out = conv(first, b.conv2, 1, 'same', false);
    let shortcut = x;
    if (b.down) {
      shortcut = tf.avgPool(x, 2, 2, 'valid');
      // face-api appends one zero row and column when the sizes differ, and zero channels.
      const [, ph, pw, pc] = shortcut.shape;
      const [, oh, ow, oc] = out.shape;
      if (ph !== oh || pw !== ow) {
        out = tf.pad(out, [
          [0, 0],
          [0, 1],
          [0, 1],
          [0, 0],
        ]);
      }
      if (pc !== oc) {
        shortcut = tf.pad(shortcut, [
          [0, 0],
          [0, 0],
          [0, 0],
          [0, oc - pc],
        ]);
      }
    }
    return tf.relu(tf.add(out, shortcut)) as Tensor4D;
  };

  let disposed = false;
  return {
    forward(x: Tensor4D): Tensor2D {
      if (disposed) throw new Error('descriptor net used after dispose()');
      return tf.tidy(() => {
        let out = conv(tf.cast(x, 'float32'), stem, 2, 'valid', true);
        out = tf.maxPool(out, 3, 2, 'valid');
        for (const b of blocks) out = block(out, b);
        return tf.matMul(tf.mean(out, [1, 2]) as Tensor2D, fc);
      });
    },
    dispose(): void {
      disposed = true;
      tf.dispose([stem.filter, stem.bias, fc]);
      for (const b of blocks)
        tf.dispose([b.conv1.filter, b.conv1.bias, b.conv2.filter, b.conv2.bias]);
    },
  };
}
