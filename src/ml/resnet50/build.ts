/**
 * Builds a ResNet50 variant with the tfjs-layers functional API from the shared plan. Weighted
 * layers carry their exact Keras names, so weights load by name (`<layer>/<param>`).
 */
import { tf } from '../tf';
import { KinshipError } from '../../lib/errors';
import { resnet50Plan, type LayerSpec } from './architecture';
import { RESNET50_INPUT_SIZE, VARIANT_SPECS, type ResNetVariant } from './variants';

export interface BuildOptions {
  /** Square input side in pixels (default 224). vggface needs ≥ 197 for its 7×7 avg_pool. */
  inputSize?: number;
}

type SymbolicTensor = ReturnType<typeof tf.input>;

function makeLayer(layer: Exclude<LayerSpec, { kind: 'input' }>): tf.layers.Layer {
  switch (layer.kind) {
    case 'conv':
      return tf.layers.conv2d({
        name: layer.name,
        filters: layer.filters,
        kernelSize: layer.kernel,
        strides: layer.strides,
        padding: layer.padding,
        useBias: layer.useBias,
        // Every weight is overwritten by a strict load; zeros avoid 23M random draws per build.
        kernelInitializer: 'zeros',
      });
    case 'bn':
      return tf.layers.batchNormalization({
        name: layer.name,
        axis: 3,
        epsilon: layer.epsilon,
        momentum: 0.99,
      });
    case 'relu':
      return tf.layers.activation({ name: layer.name, activation: 'relu' });
    case 'zeropad':
      return tf.layers.zeroPadding2d({ name: layer.name, padding: layer.pad });
    case 'maxpool':
      return tf.layers.maxPooling2d({
        name: layer.name,
        poolSize: layer.pool,
        strides: layer.strides,
        padding: 'valid',
      });
    case 'avgpool':
      return tf.layers.averagePooling2d({
        name: layer.name,
        poolSize: layer.pool,
        strides: layer.strides,
        padding: 'valid',
      });
    case 'add':
      return tf.layers.add({ name: layer.name });
  }
}

function symbolic(outputs: Map<string, SymbolicTensor>, name: string): SymbolicTensor {
  const t = outputs.get(name);
  if (!t) throw new Error(`ResNet50 build: layer input ${name} not built yet`);
  return t;
}

/**
 * Builds the notop ResNet50 of `variant`. Output: 1×1×2048 for vggface at 224 (its avg_pool is
 * kept), 7×7×2048 for both Keras namings. The caller owns the model and must `dispose()` it.
 */
export function buildResNet50(variant: ResNetVariant, options: BuildOptions = {}): tf.LayersModel {
  const size = options.inputSize ?? RESNET50_INPUT_SIZE;
  const { minInputSize } = VARIANT_SPECS[variant];
  if (!Number.isInteger(size) || size < minInputSize) {
    throw new KinshipError(
      'INTERNAL',
      `ResNet50 (${variant}) needs a square input of at least ${minInputSize} px, got ${size}`,
    );
  }
  const outputs = new Map<string, SymbolicTensor>();
  let input: SymbolicTensor | undefined;
  let last: SymbolicTensor | undefined;
  for (const layer of resnet50Plan(variant)) {
    if (layer.kind === 'input') {
      input = tf.input({ shape: [size, size, 3], name: layer.name, dtype: 'float32' });
      last = input;
    } else {
      const args =
        layer.kind === 'add'
          ? layer.inputs.map((n) => symbolic(outputs, n))
          : symbolic(outputs, layer.input);
      last = makeLayer(layer).apply(args) as SymbolicTensor;
    }
    outputs.set(layer.name, last);
  }
  if (!input || !last) throw new Error('ResNet50 build: empty plan');
  return tf.model({ inputs: input, outputs: last, name: `resnet50_${variant.replace('-', '_')}` });
}
