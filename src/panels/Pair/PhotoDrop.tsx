import { useRef, useState, type DragEvent, type ReactNode } from 'react';

interface Props {
  label: string;
  testId: string;
  onFile: (file: File) => void;
  children?: ReactNode;
  busy: boolean;
}

/** A drop zone that also opens the file picker (click, Enter, Space) and accepts pasted images. */
export function PhotoDrop({ label, testId, onFile, children, busy }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);

  const take = (files: FileList | null | undefined): void => {
    const file = files?.[0];
    if (file) onFile(file);
  };

  const onDrop = (e: DragEvent<HTMLDivElement>): void => {
    e.preventDefault();
    setOver(false);
    take(e.dataTransfer.files);
  };

  return (
    <div
      className={`dropzone${over ? ' dropzone-over' : ''}${busy ? ' dropzone-busy' : ''}`}
      data-testid={testId}
      role="button"
      tabIndex={0}
      aria-label={`${label}: drop a photo, paste one, or press Enter to choose a file`}
      onClick={() => input.current?.click()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          input.current?.click();
        }
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
      onPaste={(e) => {
        const file = Array.from(e.clipboardData.files).find((f) => f.type.startsWith('image/'));
        if (file) {
          e.preventDefault();
          onFile(file);
        }
      }}
    >
      <input
        ref={input}
        type="file"
        accept="image/*"
        hidden
        data-testid={`${testId}-input`}
        onChange={(e) => {
          take(e.target.files);
          e.target.value = '';
        }}
      />
      {children}
    </div>
  );
}
