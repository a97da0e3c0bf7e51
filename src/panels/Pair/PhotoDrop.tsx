import type { ReactNode } from 'react';
import { DropZone } from '../common/DropZone';

interface Props {
  label: string;
  testId: string;
  onFile: (file: File) => void;
  children?: ReactNode;
  busy: boolean;
}

/** A photo drop zone: drag & drop, file picker (click, Enter, Space) or paste. */
export function PhotoDrop({ label, testId, onFile, children, busy }: Props) {
  const first = (files: FileList | null | undefined): void => {
    const file = files?.[0];
    if (file) onFile(file);
  };
  return (
    <DropZone
      testId={testId}
      label={`${label}: drop a photo, paste one, or press Enter to choose a file`}
      className={busy ? 'dropzone-busy' : ''}
      accept="image/*"
      onDrop={(data) => first(data.files)}
      onPick={first}
      onPaste={(e) => {
        const file = Array.from(e.clipboardData.files).find((f) => f.type.startsWith('image/'));
        if (file) {
          e.preventDefault();
          onFile(file);
        }
      }}
    >
      {children}
    </DropZone>
  );
}
