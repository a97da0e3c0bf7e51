import { useId, type ButtonHTMLAttributes } from 'react';

interface Props extends Omit<ButtonHTMLAttributes<HTMLButtonElement>, 'disabled'> {
  /** Why the button cannot be used now ("Import a dataset first"); null when it can. */
  reason: string | null;
  /** Disabled without a reason shown, e.g. while its own job runs next to its progress bar. */
  busy?: boolean;
  testId?: string;
}

/**
 * A button that, when disabled for a missing step, says which step: the reason sits next to it
 * as visible text (touch screens show no tooltips) and describes the button for screen readers.
 */
export function ReasonButton({ reason, busy = false, testId, children, ...rest }: Props) {
  const id = useId();
  return (
    <>
      <button
        type="button"
        {...rest}
        disabled={busy || reason !== null}
        data-testid={testId}
        {...(reason !== null ? { 'aria-describedby': id, title: reason } : {})}
      >
        {children}
      </button>
      {reason !== null && (
        <span
          id={id}
          className="disabled-reason muted small"
          data-testid={testId && `${testId}-why`}
        >
          {reason}
        </span>
      )}
    </>
  );
}
