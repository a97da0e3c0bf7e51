import { describe, expect, it } from 'vitest';
import { tabForKey, type TabSpec } from './TabBar';

const TABS: TabSpec[] = [
  { id: 'pair', label: 'Score a pair' },
  { id: 'finetune', label: 'Fine-tune' },
  { id: 'backend', label: 'Backend' },
];

describe('tabForKey', () => {
  it('moves with the arrows and wraps at both ends', () => {
    expect(tabForKey('ArrowRight', TABS, 'pair')).toBe('finetune');
    expect(tabForKey('ArrowRight', TABS, 'backend')).toBe('pair');
    expect(tabForKey('ArrowLeft', TABS, 'pair')).toBe('backend');
    expect(tabForKey('ArrowLeft', TABS, 'finetune')).toBe('pair');
  });

  it('jumps with Home and End and ignores other keys', () => {
    expect(tabForKey('Home', TABS, 'backend')).toBe('pair');
    expect(tabForKey('End', TABS, 'pair')).toBe('backend');
    expect(tabForKey('Enter', TABS, 'pair')).toBeNull();
    expect(tabForKey('ArrowDown', TABS, 'pair')).toBeNull();
  });
});
