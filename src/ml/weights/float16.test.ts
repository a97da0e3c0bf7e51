import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf';
import { decodeFloat16, encodeFloat16, float32ToHalfBits, halfBitsToFloat32 } from './float16';
import { quantizeAffine, quantizeFloat16 } from './quantize';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('float16', () => {
  it('encodes exactly representable values and IEEE specials', () => {
    const cases: [number, number][] = [
      [0, 0x0000],
      [-0, 0x8000],
      [1, 0x3c00],
      [-2, 0xc000],
      [0.5, 0x3800],
      [65504, 0x7bff],
      [2 ** -14, 0x0400], // smallest normal
      [2 ** -24, 0x0001], // smallest subnormal
      [Infinity, 0x7c00],
      [1e6, 0x7c00], // overflow
      [2 ** -26, 0x0000], // underflow
    ];
    for (const [value, bits] of cases) {
      expect(float32ToHalfBits(value)).toBe(bits);
      if (value !== 1e6 && value !== 2 ** -26) expect(halfBitsToFloat32(bits)).toBe(value);
    }
    expect(halfBitsToFloat32(float32ToHalfBits(NaN))).toBeNaN();
  });

  it('rounds to nearest, ties to even', () => {
    // Between 1 and 1 + 2^-10 the halfway point 1 + 2^-11 rounds to even (1).
    expect(float32ToHalfBits(1 + 2 ** -11)).toBe(0x3c00);
    expect(float32ToHalfBits(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(float32ToHalfBits(1 + 2 ** -11 + 2 ** -20)).toBe(0x3c01);
  });

  it('agrees with the decoder in tf.io.decodeWeights', async () => {
    const values = new Float32Array([0.1, -3.14159, 1234.5, 6.1e-5, 1e-7, -0.0004]);
    const bytes = encodeFloat16(values);
    const decoded = tf.io.decodeWeights(bytes.buffer as ArrayBuffer, [
      { name: 'w', shape: [6], dtype: 'float32', quantization: { dtype: 'float16' } },
    ]);
    const viaTf = await decoded.w?.data();
    expect(Array.from(viaTf ?? [])).toEqual(Array.from(decodeFloat16(bytes)));
    values.forEach((v, i) =>
      expect(Math.abs((viaTf?.[i] ?? 0) - v)).toBeLessThanOrEqual(Math.abs(v) / 1024 + 6e-8),
    );
    tf.dispose(decoded);
    expect(quantizeFloat16(values).quantization).toEqual({
      dtype: 'float16',
      original_dtype: 'float32',
    });
  });
});

describe('affine uint8 / uint16 quantization', () => {
  it('nudges min so that 0 is exact, and tfjs decodes w = q·scale + min', async () => {
    const values = new Float32Array([-1, 0, 0.5, 2]);
    const q = quantizeAffine(values, 'uint8');
    const scale = 3 / 255;
    expect(q.quantization.scale).toBeCloseTo(scale, 12);
    expect(q.quantization.min).toBeCloseTo(-85 * scale, 12);
    // 0.5 sits on the 127.5 code boundary: either neighbour is a correct rounding.
    const [c0, c1, c2, c3] = Array.from(q.bytes);
    expect([c0, c1, c3]).toEqual([0, 85, 255]);
    expect([127, 128]).toContain(c2);
    const decoded = tf.io.decodeWeights(q.bytes.slice().buffer, [
      {
        name: 'w',
        shape: [4],
        dtype: 'float32',
        quantization: {
          dtype: 'uint8',
          min: q.quantization.min ?? 0,
          scale: q.quantization.scale ?? 1,
        },
      },
    ]);
    const out = Array.from((await decoded.w?.data()) ?? []);
    expect(out[1]).toBe(0);
    out.forEach((x, i) =>
      expect(Math.abs(x - (values[i] ?? 0))).toBeLessThanOrEqual(scale / 2 + 1e-7),
    );
    tf.dispose(decoded);
  });

  it('gives a constant tensor scale 1 and all-zero codes; uint16 is finer', () => {
    const constant = quantizeAffine(new Float32Array([0.25, 0.25]), 'uint16');
    expect(constant.quantization).toMatchObject({ scale: 1, min: 0.25 });
    expect(Array.from(new Uint16Array(constant.bytes.buffer))).toEqual([0, 0]);
    const fine = quantizeAffine(new Float32Array([-1, 1]), 'uint16');
    expect(fine.quantization.scale).toBeCloseTo(2 / 65535, 12);
  });
});
