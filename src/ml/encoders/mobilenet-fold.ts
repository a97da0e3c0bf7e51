/**
 * Runs a converted Keras MobileNet-v1 graph (the faceres models) as fused kernels. The converter
 * left every layer as separate ops — Conv2D/DepthwiseConv2dNative, a batch-norm Mul (depthwise
 * layers) and Add, then ReLU6 spelled Relu → Minimum(6) → Maximum(0) — five kernels and five
 * full-size activations per layer. Folding the Mul into the kernel and running
 * `tf.fused.conv2d` / `tf.fused.depthwiseConv2d` with bias and relu6 gives the same numbers
 * (float rounding aside; the tests compare with `model.execute`) at about 2.3× the speed on wasm.
 *
 * The layer chain is read from the graph itself, backwards from the embedding node to the input,
 * and anything that is not this pattern throws: a different graph is never run half-understood.
 */
import { KinshipError } from '../../lib/errors';
import { tf, type Tensor1D, type Tensor2D, type Tensor4D } from '../tf';
import type { GraphNode } from './graph-source';

interface FoldedLayer {
  kind: 'conv' | 'depthwise';
  kernel: Tensor4D;
  bias: Tensor1D;
  strides: [number, number];
}

export interface FoldedMobileNet {
  /** [N, H, W, 3] preprocessed input → [N, C] global average of the last feature map. */
  run(x: Tensor4D): Tensor2D;
  layers: number;
  dispose(): void;
}

/**
 * Builds the fused network ending at `outputNode` (a Mean over H and W). Takes its own copies of
 * the weights, so the caller can dispose the graph model afterwards.
 */
export function foldMobileNet(
  nodes: readonly GraphNode[],
  weights: Readonly<Record<string, readonly tf.Tensor[]>>,
  outputNode: string,
  file: string,
): FoldedMobileNet {
  const fail: (why: string) => never = (why) => {
    throw new KinshipError('WEIGHTS_MISMATCH', `is not the expected MobileNet graph: ${why}`, {
      file,
    });
  };
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const constant = (name: string | undefined): tf.Tensor => {
    const t = name === undefined ? undefined : weights[name.replace(/:0$/, '')]?.[0];
    return t ?? fail(`constant ${String(name)} is missing`);
  };
  const scalar = (name: string | undefined): number => {
    const t = constant(name);
    if (t.size !== 1) fail(`${String(name)} is not a scalar`);
    return t.dataSync()[0] ?? NaN;
  };

  // The op chain from the input to the output, following each node's first input.
  const chain: GraphNode[] = [];
  let node = byName.get(outputNode) ?? fail(`node ${outputNode} not found`);
  if (node.op !== 'Mean') fail(`${outputNode} is ${node.op}, not Mean`);
  const axes = Array.from(constant(node.input?.[1]).dataSync());
  if (axes.join() !== '1,2' || node.attr?.keep_dims?.b === true)
    fail(`${outputNode} does not average over height and width`);
  for (;;) {
    const previous = node.input?.[0];
    node = (previous && byName.get(previous.replace(/:0$/, ''))) || fail(`${previous} not found`);
    if (node.op === 'Placeholder') break;
    chain.unshift(node);
    if (chain.length > 1000) fail('the chain does not reach the input');
  }

  const owned: tf.Tensor[] = [];
  const layers: FoldedLayer[] = [];
  try {
    for (let i = 0; i < chain.length;) {
      const conv = chain[i] as GraphNode;
      const kind =
        conv.op === 'Conv2D' ? 'conv' : conv.op === 'DepthwiseConv2dNative' ? 'depthwise' : null;
      if (!kind) fail(`unexpected op ${conv.op} at ${conv.name}`);
      checkConvAttrs(conv, fail);
      const strides = conv.attr?.strides?.list?.i?.map(Number) ?? [1, 1, 1, 1];
      let kernel = constant(conv.input?.[1]) as Tensor4D;
      let next = chain[i + 1];
      if (next?.op === 'Mul') {
        // Batch-norm scale per output channel: fold it into the kernel.
        const scale = constant(next.input?.[1]);
        const shape = kind === 'depthwise' ? [1, 1, -1, 1] : [1, 1, 1, -1];
        kernel = tf.tidy(() => tf.mul(kernel, scale.reshape(shape)) as Tensor4D);
        owned.push(kernel);
        next = chain[i + 2];
        i += 1;
      } else {
        kernel = tf.clone(kernel);
        owned.push(kernel);
      }
      const ops = [next, chain[i + 2], chain[i + 3], chain[i + 4]].map((n) => n?.op).join(',');
      if (ops !== 'Add,Relu,Minimum,Maximum')
        fail(`after ${conv.name}: ${ops} instead of Add,Relu,Minimum,Maximum (bias + ReLU6)`);
      const bias = tf.clone(constant(next?.input?.[1])) as Tensor1D;
      owned.push(bias);
      if (scalar(chain[i + 3]?.input?.[1]) !== 6 || scalar(chain[i + 4]?.input?.[1]) !== 0)
        fail(`the activation after ${conv.name} is not ReLU6`);
      layers.push({ kind, kernel, bias, strides: [strides[1] ?? 1, strides[2] ?? 1] });
      i += 5;
    }
  } catch (e) {
    tf.dispose(owned);
    throw e;
  }
  if (layers.length === 0) fail('no convolution layers');

  let disposed = false;
  return {
    layers: layers.length,
    run: (x) => {
      if (disposed) throw new Error('MobileNet used after dispose()');
      return tf.tidy(() => {
        let y = x;
        for (const l of layers) {
          const args = { x: y, filter: l.kernel, strides: l.strides, pad: 'same' as const };
          y =
            l.kind === 'conv'
              ? tf.fused.conv2d({ ...args, bias: l.bias, activation: 'relu6' })
              : tf.fused.depthwiseConv2d({ ...args, bias: l.bias, activation: 'relu6' });
        }
        return tf.mean(y, [1, 2]) as Tensor2D;
      });
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      tf.dispose(owned);
    },
  };
}

function checkConvAttrs(node: GraphNode, fail: (why: string) => never): void {
  const text = (key: string): string | null => {
    const s = node.attr?.[key]?.s;
    return s === undefined ? null : atob(s);
  };
  if (text('padding') !== 'SAME') fail(`${node.name} does not use SAME padding`);
  const format = text('data_format');
  if (format !== null && format !== 'NHWC') fail(`${node.name} is not NHWC`);
  const dilations = node.attr?.dilations?.list?.i;
  if (dilations && dilations.some((d) => d !== '1')) fail(`${node.name} is dilated`);
}
