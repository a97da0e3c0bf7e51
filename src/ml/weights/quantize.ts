/**
 * Weight quantization as tensorflowjs_converter does it (ENCODERS.md §4.3), used by the convert
 * CLI on conv kernels only: BN statistics are never quantized (trap 10).
 */
import { encodeFloat16 } from './float16';
import type { QuantizationDtype, TfjsWeightEntry } from './tfjs-manifest';

export interface QuantizedTensor {
  bytes: Uint8Array;
  quantization: NonNullable<TfjsWeightEntry['quantization']>;
}

/**
 * Affine per-tensor uint8/uint16 codes: scale = (max − min)/(2^bits − 1); when the range spans
 * 0, min is nudged so that 0 is exactly representable; a constant tensor gets scale 1.
 * Decoding is w = q·scale + min.
 */
export function quantizeAffine(values: Float32Array, dtype: 'uint8' | 'uint16'): QuantizedTensor {
  const levels = dtype === 'uint8' ? 255 : 65535;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (values.length === 0) min = max = 0;
  let scale = (max - min) / levels;
  let nudgedMin = min;
  if (scale === 0) {
    scale = 1;
  } else if (min <= 0 && max >= 0) {
    nudgedMin = -Math.round(-min / scale) * scale;
  }
  const nudgedMax = nudgedMin + scale * levels;
  const codes = dtype === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const clipped = Math.min(Math.max(values[i] ?? 0, nudgedMin), nudgedMax);
    codes[i] = Math.round((clipped - nudgedMin) / scale);
  }
  return {
    bytes: new Uint8Array(codes.buffer),
    quantization: { dtype, min: nudgedMin, scale, original_dtype: 'float32' },
  };
}

export function quantizeFloat16(values: Float32Array): QuantizedTensor {
  return {
    bytes: new Uint8Array(encodeFloat16(values).buffer),
    quantization: { dtype: 'float16', original_dtype: 'float32' },
  };
}

export function quantize(values: Float32Array, dtype: QuantizationDtype): QuantizedTensor {
  return dtype === 'float16' ? quantizeFloat16(values) : quantizeAffine(values, dtype);
}
