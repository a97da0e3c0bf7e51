/**
 * The app's ResNet50 (keras-new plan, src/ml/resnet50/architecture.ts) as an ONNX model with
 * random weights, for a same-run speed comparison against ONNX Runtime Web (cli/bench-ort.ts).
 * NCHW, batch-norm folded into each conv's bias (as the app's fused graph and ORT's own graph
 * optimiser both do), zero pads folded into the next conv or pool, global average pool at the
 * end: input `input` [B,3,224,224] → `embedding` [B,2048,1,1]. The protobuf is written by hand
 * (ModelProto field numbers from onnx.proto3), so no ONNX package is needed.
 */
import { resnet50Plan, type LayerSpec } from '../src/ml/resnet50/architecture';
import { mulberry32 } from '../src/lib/random';

/** Minimal protobuf writer: varints, length-delimited fields. */
class Proto {
  private readonly parts: Uint8Array[] = [];
  private varint(n: number): void {
    const out: number[] = [];
    let v = n;
    while (v > 127) {
      out.push((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    out.push(v);
    this.parts.push(Uint8Array.from(out));
  }
  int(field: number, value: number): this {
    this.varint(field * 8);
    this.varint(value);
    return this;
  }
  bytes(field: number, value: Uint8Array): this {
    this.varint(field * 8 + 2);
    this.varint(value.length);
    this.parts.push(value);
    return this;
  }
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }
  message(field: number, value: Proto): this {
    return this.bytes(field, value.finish());
  }
  finish(): Uint8Array {
    const n = this.parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

const FLOAT = 1;
const ATTR_INTS = 7;
const ATTR_STRING = 3;

function attrInts(name: string, values: number[]): Proto {
  const a = new Proto().string(1, name);
  for (const v of values) a.int(8, v);
  return a.int(20, ATTR_INTS);
}

function node(op: string, inputs: string[], output: string, attrs: Proto[] = []): Proto {
  const n = new Proto();
  for (const i of inputs) n.string(1, i);
  n.string(2, output).string(3, output).string(4, op);
  for (const a of attrs) n.message(5, a);
  return n;
}

function initializer(name: string, dims: number[], values: Float32Array): Proto {
  const t = new Proto();
  for (const d of dims) t.int(1, d);
  t.int(2, FLOAT).string(8, name);
  return t.bytes(9, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

function valueInfo(name: string, dims: (number | string)[]): Proto {
  const shape = new Proto();
  for (const d of dims)
    shape.message(1, typeof d === 'number' ? new Proto().int(1, d) : new Proto().string(2, d));
  const tensor = new Proto().int(1, FLOAT).message(2, shape);
  return new Proto().string(1, name).message(2, new Proto().message(1, tensor));
}

/** The ONNX bytes of ResNet50 (keras-new) with He-scaled random weights, batch dimension "B". */
export function resnet50Onnx(inputSize = 224, seed = 1): Uint8Array {
  const rand = mulberry32(seed);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(Math.max(rand(), 1e-12))) * Math.cos(2 * Math.PI * rand());
  const graph = new Proto().string(2, 'resnet50_keras_new');
  /** Layer name → the ONNX value that stands for its output. */
  const value = new Map<string, string>();
  /** zeropad layer name → its input value and padding, folded into the consumer. */
  const pads = new Map<string, { input: string; pad: number }>();
  const plan: readonly LayerSpec[] = resnet50Plan('keras-new');
  const source = (name: string): { input: string; pad: number } =>
    pads.get(name) ?? { input: value.get(name) as string, pad: 0 };
  let last = '';
  for (const layer of plan) {
    switch (layer.kind) {
      case 'input':
        value.set(layer.name, 'input');
        break;
      case 'zeropad':
        pads.set(layer.name, { input: source(layer.input).input, pad: layer.pad });
        break;
      case 'conv': {
        const { input, pad } = source(layer.input);
        const k = layer.kernel;
        const w = new Float32Array(layer.filters * layer.inChannels * k * k);
        const scale = Math.sqrt(2 / (layer.inChannels * k * k));
        for (let i = 0; i < w.length; i++) w[i] = gaussian() * scale;
        const b = new Float32Array(layer.filters);
        graph.message(
          5,
          initializer(`${layer.name}_W`, [layer.filters, layer.inChannels, k, k], w),
        );
        graph.message(5, initializer(`${layer.name}_B`, [layer.filters], b));
        const attrs = [
          attrInts('kernel_shape', [k, k]),
          attrInts('strides', [layer.strides, layer.strides]),
        ];
        if (layer.padding === 'same')
          attrs.push(
            new Proto().string(1, 'auto_pad').string(4, 'SAME_UPPER').int(20, ATTR_STRING),
          );
        else attrs.push(attrInts('pads', [pad, pad, pad, pad]));
        graph.message(
          1,
          node('Conv', [input, `${layer.name}_W`, `${layer.name}_B`], layer.name, attrs),
        );
        value.set(layer.name, layer.name);
        break;
      }
      case 'bn':
        // Folded into the conv before it.
        value.set(layer.name, value.get(layer.input) as string);
        break;
      case 'relu':
        graph.message(1, node('Relu', [value.get(layer.input) as string], layer.name));
        value.set(layer.name, layer.name);
        break;
      case 'maxpool': {
        const { input, pad } = source(layer.input);
        graph.message(
          1,
          node('MaxPool', [input], layer.name, [
            attrInts('kernel_shape', [layer.pool, layer.pool]),
            attrInts('strides', [layer.strides, layer.strides]),
            attrInts('pads', [pad, pad, pad, pad]),
          ]),
        );
        value.set(layer.name, layer.name);
        break;
      }
      case 'add':
        graph.message(
          1,
          node(
            'Add',
            layer.inputs.map((i) => value.get(i) as string),
            layer.name,
          ),
        );
        value.set(layer.name, layer.name);
        break;
      case 'avgpool':
        throw new Error('keras-new has no avg_pool layer in its notop plan');
    }
    if (layer.kind !== 'zeropad') last = value.get(layer.name) as string;
  }
  graph.message(1, node('GlobalAveragePool', [last], 'embedding'));
  graph.message(11, valueInfo('input', ['B', 3, inputSize, inputSize]));
  graph.message(12, valueInfo('embedding', ['B', 2048, 1, 1]));
  return new Proto()
    .int(1, 8) // ir_version 8
    .string(2, 'kinlens')
    .message(7, graph)
    .message(8, new Proto().string(1, '').int(2, 17))
    .finish();
}
