import { describe, expect, it, vi } from 'vitest';
import { tf } from '../ml/tf';
import { dropTfjsNodeBanner, isTfjsNodeBanner } from './tfjs-banner';

describe('the tfjs Node banner filter', () => {
  it('recognises the banner a fresh cpu backend really prints', async () => {
    const seen: unknown[][] = [];
    const spy = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      seen.push(args);
    });
    try {
      const cpu = tf.findBackendFactory('cpu');
      if (!cpu) throw new Error('no cpu backend registered');
      tf.registerBackend('cpu-banner-check', cpu);
      await tf.setBackend('cpu-banner-check');
      tf.tensor([1, 2, 3]).dispose(); // the backend's first write prints the banner
    } finally {
      spy.mockRestore();
      await tf.setBackend('cpu');
      tf.removeBackend('cpu-banner-check');
    }
    expect(seen.filter(isTfjsNodeBanner)).toHaveLength(1);
  });

  it('drops only that message and forwards every other warning unchanged', () => {
    const forwarded: unknown[][] = [];
    const target = { warn: (...args: unknown[]) => void forwarded.push(args) };
    const restore = dropTfjsNodeBanner(target);
    target.warn('\n====\nHi, looks like you are running TensorFlow.js in Node.js. To speed…\n====');
    target.warn('Hi, looks like you are running something else');
    target.warn('a', 2);
    target.warn('Hi, looks like you are running TensorFlow.js in Node.js.', 'and more');
    expect(forwarded).toEqual([
      ['Hi, looks like you are running something else'],
      ['a', 2],
      ['Hi, looks like you are running TensorFlow.js in Node.js.', 'and more'],
    ]);
    restore();
    target.warn('after restore');
    expect(forwarded.at(-1)).toEqual(['after restore']);
  });
});
