import { useRef, useState, type ClipboardEvent, type ReactNode, type RefObject } from 'react';

interface Props {
  testId: string;
  /** Read by screen readers; should say what to drop and that Enter opens the picker. */
  label: string;
  className?: string;
  /** Files dropped onto the zone (the DataTransfer, so folders can be walked). */
  onDrop: (data: DataTransfer) => void;
  /** Files chosen with the picker. */
  onPick: (files: FileList) => void;
  onPaste?: (e: ClipboardEvent<HTMLDivElement>) => void;
  accept?: string;
  multiple?: boolean;
  /** Pick a folder (webkitdirectory) instead of files. */
  directory?: boolean;
  /** Lets another control (e.g. a "Replace…" button) open the same picker. */
  inputRef?: RefObject<HTMLInputElement | null>;
  children: ReactNode;
}

/**
 * A drop target that is also a keyboard-reachable button opening a hidden file (or folder)
 * picker. Every drop zone in the app is this one component.
 */
export function DropZone({
  testId,
  label,
  className = '',
  onDrop,
  onPick,
  onPaste,
  accept,
  multiple,
  directory,
  inputRef,
  children,
}: Props) {
  const ownPicker = useRef<HTMLInputElement>(null);
  const picker = inputRef ?? ownPicker;
  const [over, setOver] = useState(false);
  return (
    <div
      className={`dropzone ${className}${over ? ' dropzone-over' : ''}`}
      data-testid={testId}
      role="button"
      tabIndex={0}
      aria-label={label}
      onClick={() => picker.current?.click()}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          picker.current?.click();
        }
      }}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        onDrop(e.dataTransfer);
      }}
      {...(onPaste ? { onPaste } : {})}
    >
      <input
        ref={picker}
        type="file"
        hidden
        data-testid={`${testId}-input`}
        {...(accept ? { accept } : {})}
        {...(multiple ? { multiple: true } : {})}
        {...(directory ? { webkitdirectory: '', directory: '' } : {})}
        onChange={(e) => {
          if (e.target.files && e.target.files.length > 0) onPick(e.target.files);
          e.target.value = '';
        }}
      />
      {children}
    </div>
  );
}
