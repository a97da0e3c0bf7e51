/**
 * The ResNet50 graph of each variant as plain data, in Keras `model.layers` order (ENCODERS.md
 * Appendix A). The tfjs builder, the weight loaders and the test fixtures all read this one plan,
 * so layer names, weight shapes and weight order cannot drift apart.
 */
import { VARIANT_SPECS, type ResNetVariant } from './variants';

export type LayerSpec =
  | { kind: 'input'; name: string }
  | {
      kind: 'conv';
      name: string;
      input: string;
      inChannels: number;
      filters: number;
      kernel: number;
      strides: number;
      padding: 'same' | 'valid';
      useBias: boolean;
    }
  | { kind: 'bn'; name: string; input: string; channels: number; epsilon: number }
  | { kind: 'relu'; name: string; input: string }
  | { kind: 'zeropad'; name: string; input: string; pad: number }
  | { kind: 'maxpool'; name: string; input: string; pool: number; strides: number }
  | { kind: 'avgpool'; name: string; input: string; pool: number; strides: number }
  | { kind: 'add'; name: string; inputs: [string, string] };

/** Weight names inside a layer, in Keras (and tfjs) per-layer order. */
export type WeightParam = 'kernel' | 'bias' | 'gamma' | 'beta' | 'moving_mean' | 'moving_variance';

export interface WeightSpec {
  /** Canonical `<layer>/<param>` name, as tfjs `originalName` and the tfjs manifest use. */
  name: string;
  layer: string;
  param: WeightParam;
  shape: number[];
}

export interface WeightedLayerSpec {
  name: string;
  kind: 'conv' | 'bn';
  weights: WeightSpec[];
}

const STAGES = [
  { stage: 2, blocks: 3, filters: 64, stride: 1 },
  { stage: 3, blocks: 4, filters: 128, stride: 2 },
  { stage: 4, blocks: 6, filters: 256, stride: 2 },
  { stage: 5, blocks: 3, filters: 512, stride: 2 },
] as const;

type Branch = 'reduce' | 'mid' | 'increase' | 'proj';

/** How one variant names its layers. Unnamed Keras layers get Keras's automatic names. */
interface Naming {
  input: string;
  stemConv: string;
  stemBn: string;
  stemRelu: () => string;
  stemPool: () => string;
  conv(stage: number, block: number, branch: Branch): string;
  bn(stage: number, block: number, branch: Branch): string;
  relu(stage: number, block: number, after: 'reduce' | 'mid' | 'add'): string;
  add(stage: number, block: number): string;
  /** Conv blocks list the shortcut's conv/bn before the main path's last conv/bn (tf.keras). */
  shortcutFirst: boolean;
}

/** Keras's per-class counters for unnamed layers: activation_1, add_1, max_pooling2d_1, … */
function autoNamer(): (prefix: string) => string {
  const counts = new Map<string, number>();
  return (prefix) => {
    const n = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, n);
    return `${prefix}_${n}`;
  };
}

function vggfaceNaming(): Naming {
  const auto = autoNamer();
  const suffix: Record<Branch, string> = {
    reduce: '1x1_reduce',
    mid: '3x3',
    increase: '1x1_increase',
    proj: '1x1_proj',
  };
  const conv = (s: number, b: number, br: Branch): string => `conv${s}_${b}_${suffix[br]}`;
  return {
    input: 'input_1',
    stemConv: 'conv1/7x7_s2',
    stemBn: 'conv1/7x7_s2/bn',
    stemRelu: () => auto('activation'),
    stemPool: () => auto('max_pooling2d'),
    conv,
    bn: (s, b, br) => `${conv(s, b, br)}/bn`,
    relu: () => auto('activation'),
    add: () => auto('add'),
    shortcutFirst: false,
  };
}

function kerasOldNaming(): Naming {
  const auto = autoNamer();
  const branch: Record<Branch, string> = {
    reduce: '2a',
    mid: '2b',
    increase: '2c',
    proj: '1',
  };
  const letter = (b: number): string => String.fromCharCode('a'.charCodeAt(0) + b - 1);
  return {
    input: 'input_1',
    stemConv: 'conv1',
    stemBn: 'bn_conv1',
    stemRelu: () => auto('activation'),
    stemPool: () => auto('max_pooling2d'),
    conv: (s, b, br) => `res${s}${letter(b)}_branch${branch[br]}`,
    bn: (s, b, br) => `bn${s}${letter(b)}_branch${branch[br]}`,
    relu: () => auto('activation'),
    add: () => auto('add'),
    shortcutFirst: false,
  };
}

function kerasNewNaming(): Naming {
  const index: Record<Branch, number> = { reduce: 1, mid: 2, increase: 3, proj: 0 };
  const prefix = (s: number, b: number): string => `conv${s}_block${b}`;
  return {
    input: 'input_1',
    stemConv: 'conv1_conv',
    stemBn: 'conv1_bn',
    stemRelu: () => 'conv1_relu',
    stemPool: () => 'pool1_pool',
    conv: (s, b, br) => `${prefix(s, b)}_${index[br]}_conv`,
    bn: (s, b, br) => `${prefix(s, b)}_${index[br]}_bn`,
    relu: (s, b, after) =>
      after === 'add' ? `${prefix(s, b)}_out` : `${prefix(s, b)}_${index[after]}_relu`,
    add: (s, b) => `${prefix(s, b)}_add`,
    shortcutFirst: true,
  };
}

const NAMINGS: Record<ResNetVariant, () => Naming> = {
  vggface: vggfaceNaming,
  'keras-old': kerasOldNaming,
  'keras-new': kerasNewNaming,
};

/** Collects layers in order and tracks each output's channel count for conv shapes. */
class PlanWriter {
  readonly layers: LayerSpec[] = [];
  private readonly channels = new Map<string, number>();

  constructor(
    private readonly useBias: boolean,
    private readonly epsilon: number,
  ) {}

  input(name: string): string {
    this.layers.push({ kind: 'input', name });
    this.channels.set(name, 3);
    return name;
  }

  conv(name: string, input: string, filters: number, kernel: number, strides: number): string {
    const padding = kernel === 1 ? 'valid' : 'same';
    return this.convWithPadding(name, input, filters, kernel, strides, padding);
  }

  convWithPadding(
    name: string,
    input: string,
    filters: number,
    kernel: number,
    strides: number,
    padding: 'same' | 'valid',
  ): string {
    const inChannels = this.channelsOf(input);
    this.layers.push({
      kind: 'conv',
      name,
      input,
      inChannels,
      filters,
      kernel,
      strides,
      padding,
      useBias: this.useBias,
    });
    this.channels.set(name, filters);
    return name;
  }

  bn(name: string, input: string): string {
    const channels = this.channelsOf(input);
    this.layers.push({ kind: 'bn', name, input, channels, epsilon: this.epsilon });
    this.channels.set(name, channels);
    return name;
  }

  passThrough(layer: LayerSpec & { input: string }): string {
    this.layers.push(layer);
    this.channels.set(layer.name, this.channelsOf(layer.input));
    return layer.name;
  }

  add(name: string, inputs: [string, string]): string {
    this.layers.push({ kind: 'add', name, inputs });
    this.channels.set(name, this.channelsOf(inputs[0]));
    return name;
  }

  private channelsOf(name: string): number {
    const c = this.channels.get(name);
    if (c === undefined) throw new Error(`ResNet50 plan: unknown input ${name}`);
    return c;
  }
}

function writeStem(w: PlanWriter, n: Naming, variant: ResNetVariant): string {
  const input = w.input(n.input);
  if (VARIANT_SPECS[variant].stem === 'same-conv-valid-pool') {
    const conv = w.convWithPadding(n.stemConv, input, 64, 7, 2, 'same');
    const relu = w.passThrough({ kind: 'relu', name: n.stemRelu(), input: w.bn(n.stemBn, conv) });
    return w.passThrough({ kind: 'maxpool', name: n.stemPool(), input: relu, pool: 3, strides: 2 });
  }
  const padded = w.passThrough({ kind: 'zeropad', name: 'conv1_pad', input, pad: 3 });
  const conv = w.convWithPadding(n.stemConv, padded, 64, 7, 2, 'valid');
  const relu = w.passThrough({ kind: 'relu', name: n.stemRelu(), input: w.bn(n.stemBn, conv) });
  const poolPad = w.passThrough({ kind: 'zeropad', name: 'pool1_pad', input: relu, pad: 1 });
  return w.passThrough({
    kind: 'maxpool',
    name: n.stemPool(),
    input: poolPad,
    pool: 3,
    strides: 2,
  });
}

function writeBlock(
  w: PlanWriter,
  n: Naming,
  input: string,
  stage: number,
  block: number,
  filters: number,
  stride: number,
): string {
  // Stride sits on the first 1×1 conv and on the projection, never on the 3×3 (trap 5).
  let x = w.conv(n.conv(stage, block, 'reduce'), input, filters, 1, stride);
  x = w.bn(n.bn(stage, block, 'reduce'), x);
  x = w.passThrough({ kind: 'relu', name: n.relu(stage, block, 'reduce'), input: x });
  x = w.conv(n.conv(stage, block, 'mid'), x, filters, 3, 1);
  x = w.bn(n.bn(stage, block, 'mid'), x);
  x = w.passThrough({ kind: 'relu', name: n.relu(stage, block, 'mid'), input: x });

  let shortcut = input;
  let main: string;
  if (block === 1) {
    // Keras lists a conv block's last main conv and the projection in the order their Add
    // operands were written: [main, shortcut] in keras-vggface / old Keras, [shortcut, main]
    // in tf.keras (ENCODERS.md §1.6, §2.3).
    const mainConv = (): string => w.conv(n.conv(stage, block, 'increase'), x, 4 * filters, 1, 1);
    const projConv = (): string =>
      w.conv(n.conv(stage, block, 'proj'), input, 4 * filters, 1, stride);
    const [first, second] = n.shortcutFirst ? [projConv, mainConv] : [mainConv, projConv];
    const c1 = first();
    const c2 = second();
    const b1 = w.bn(n.bn(stage, block, n.shortcutFirst ? 'proj' : 'increase'), c1);
    const b2 = w.bn(n.bn(stage, block, n.shortcutFirst ? 'increase' : 'proj'), c2);
    [shortcut, main] = n.shortcutFirst ? [b1, b2] : [b2, b1];
  } else {
    main = w.bn(
      n.bn(stage, block, 'increase'),
      w.conv(n.conv(stage, block, 'increase'), x, 4 * filters, 1, 1),
    );
  }
  const operands: [string, string] = n.shortcutFirst ? [shortcut, main] : [main, shortcut];
  const sum = w.add(n.add(stage, block), operands);
  return w.passThrough({ kind: 'relu', name: n.relu(stage, block, 'add'), input: sum });
}

const planCache = new Map<ResNetVariant, readonly LayerSpec[]>();

/** Every layer of the notop model, in Keras `model.layers` order (topologically sorted). */
export function resnet50Plan(variant: ResNetVariant): readonly LayerSpec[] {
  const cached = planCache.get(variant);
  if (cached) return cached;
  const spec = VARIANT_SPECS[variant];
  const naming = NAMINGS[variant]();
  const w = new PlanWriter(spec.convBias, spec.bnEpsilon);
  let x = writeStem(w, naming, variant);
  for (const { stage, blocks, filters, stride } of STAGES) {
    for (let block = 1; block <= blocks; block++) {
      x = writeBlock(w, naming, x, stage, block, filters, block === 1 ? stride : 1);
    }
  }
  if (spec.keepsAvgPool) {
    w.passThrough({ kind: 'avgpool', name: 'avg_pool', input: x, pool: 7, strides: 7 });
  }
  const plan = Object.freeze(w.layers);
  planCache.set(variant, plan);
  return plan;
}

export function layerWeightSpecs(layer: LayerSpec): WeightSpec[] {
  const w = (param: WeightParam, shape: number[]): WeightSpec => ({
    name: `${layer.name}/${param}`,
    layer: layer.name,
    param,
    shape,
  });
  if (layer.kind === 'conv') {
    const kernel = w('kernel', [layer.kernel, layer.kernel, layer.inChannels, layer.filters]);
    return layer.useBias ? [kernel, w('bias', [layer.filters])] : [kernel];
  }
  if (layer.kind === 'bn') {
    const c = [layer.channels];
    return [w('gamma', c), w('beta', c), w('moving_mean', c), w('moving_variance', c)];
  }
  return [];
}

/** The 106 Conv2D/BatchNormalization layers with their weights, in Keras order. */
export function weightedLayers(variant: ResNetVariant): WeightedLayerSpec[] {
  const out: WeightedLayerSpec[] = [];
  for (const layer of resnet50Plan(variant)) {
    if (layer.kind === 'conv' || layer.kind === 'bn') {
      out.push({ name: layer.name, kind: layer.kind, weights: layerWeightSpecs(layer) });
    }
  }
  return out;
}

/** All weight tensors (265 or 318) in canonical order: layer order, then per-layer order. */
export function weightSpecs(variant: ResNetVariant): WeightSpec[] {
  return weightedLayers(variant).flatMap((l) => l.weights);
}
