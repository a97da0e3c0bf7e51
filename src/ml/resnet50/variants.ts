/**
 * The three ResNet50 graphs a Keras weight file can come from (ENCODERS.md §1, §2). They share
 * the bottleneck layout but differ in layer names, conv bias, BN epsilon and stem padding, and
 * each difference changes the features without changing any shape.
 */
export type ResNetVariant = 'vggface' | 'keras-old' | 'keras-new';

export const RESNET_VARIANTS: readonly ResNetVariant[] = ['vggface', 'keras-old', 'keras-new'];

export interface VariantSpec {
  variant: ResNetVariant;
  /** Conv2D layers carry a bias (all 53) — keras-vggface convs have none (trap 6). */
  convBias: boolean;
  /** BatchNormalization epsilon (trap 4): Keras default 1e-3 unless tf.keras set 1.001e-5. */
  bnEpsilon: number;
  /**
   * Stem: keras-vggface uses conv1 padding 'same' (TF pads 2 before / 3 after) and an unpadded
   * max-pool → 55×55; Keras ResNet50 uses ZeroPadding(3) + 'valid' and pool1_pad → 56×56.
   */
  stem: 'same-conv-valid-pool' | 'zeropad-conv-zeropad-pool';
  /** keras-vggface keeps its 7×7 `avg_pool` without the top, so the notop map is 1×1 (trap 1). */
  keepsAvgPool: boolean;
  /** Smallest square input the graph accepts (the 7×7 avg_pool needs a ≥7×7 final map). */
  minInputSize: number;
  /** Total parameters of the notop model (ENCODERS.md §5.2). */
  paramCount: number;
  /** Weight tensors of the notop model: 53 kernels (+53 biases) + 53×4 BN tensors. */
  weightTensorCount: number;
}

export const VARIANT_SPECS: Readonly<Record<ResNetVariant, VariantSpec>> = {
  vggface: {
    variant: 'vggface',
    convBias: false,
    bnEpsilon: 1e-3,
    stem: 'same-conv-valid-pool',
    keepsAvgPool: true,
    minInputSize: 197,
    paramCount: 23_561_152,
    weightTensorCount: 265,
  },
  'keras-old': {
    variant: 'keras-old',
    convBias: true,
    bnEpsilon: 1e-3,
    stem: 'zeropad-conv-zeropad-pool',
    keepsAvgPool: false,
    minInputSize: 32,
    paramCount: 23_587_712,
    weightTensorCount: 318,
  },
  'keras-new': {
    variant: 'keras-new',
    convBias: true,
    bnEpsilon: 1.001e-5,
    stem: 'zeropad-conv-zeropad-pool',
    keepsAvgPool: false,
    minInputSize: 32,
    paramCount: 23_587_712,
    weightTensorCount: 318,
  },
};

export const RESNET50_INPUT_SIZE = 224;
export const RESNET50_FEATURE_CHANNELS = 2048;
/** GlobalMaxPool ‖ GlobalAvgPool of the 2048-channel final map. */
export const RESNET50_EMBEDDING_DIM = 2 * RESNET50_FEATURE_CHANNELS;
/** Conv2D + BatchNormalization layers (53 each). */
export const RESNET50_WEIGHTED_LAYER_COUNT = 106;

export function isResNetVariant(value: unknown): value is ResNetVariant {
  return typeof value === 'string' && (RESNET_VARIANTS as readonly string[]).includes(value);
}
