/**
 * Which ResNet50 graph a weight file belongs to, from the layer names it contains — never asked
 * of the user. The three namings share no stem layer name, so one marker each is decisive.
 */
import { KinshipError } from '../../lib/errors';
import type { ResNetVariant } from '../resnet50/variants';

const MARKERS: readonly { variant: ResNetVariant; layers: readonly string[] }[] = [
  { variant: 'vggface', layers: ['conv1/7x7_s2', 'conv2_1_1x1_reduce'] },
  { variant: 'keras-old', layers: ['bn_conv1', 'res2a_branch2a'] },
  { variant: 'keras-new', layers: ['conv1_conv', 'conv2_block1_1_conv'] },
];

/** Layers of a Keras classifier head, which a notop encoder does not use. */
export const KNOWN_HEAD_LAYERS: ReadonlySet<string> = new Set([
  'classifier', // keras-vggface, include_top
  'fc1000', // old-name Keras ResNet50, include_top
  'predictions', // tf.keras ResNet50, include_top
]);

export function detectVariant(layerNames: Iterable<string>): ResNetVariant {
  const names = new Set(layerNames);
  const found = MARKERS.filter((m) => m.layers.some((l) => names.has(l))).map((m) => m.variant);
  if (found.length === 1 && found[0]) return found[0];
  const sample = [...names].slice(0, 8).join(', ');
  const what =
    found.length > 1
      ? `layers of several ResNet50 namings (${found.join(', ')})`
      : `no ResNet50 layer names (keras-vggface conv1/7x7_s2, Keras conv1/bn_conv1, tf.keras conv1_conv)`;
  throw new KinshipError(
    'WEIGHTS_UNKNOWN_ARCH',
    `unrecognised architecture: found ${what}; first layers: ${sample || '(none)'}`,
  );
}
