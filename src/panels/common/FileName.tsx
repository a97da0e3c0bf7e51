/** Names longer than this are split so that their end (the extension) stays visible. */
const SPLIT_FROM = 24;
const TAIL = 12;

/** `[head, tail]` of a long name, cut where the ellipsis may go; null for a short one. */
export function splitFileName(name: string): [string, string] | null {
  const chars = Array.from(name); // code points: never cut a surrogate pair in two
  if (chars.length <= SPLIT_FROM) return null;
  return [chars.slice(0, -TAIL).join(''), chars.slice(-TAIL).join('')];
}

/**
 * A file name or path that never widens the page: when it does not fit, its middle gives way to
 * an ellipsis (so the extension stays in view) and the full name is in `title`. The text itself
 * stays whole, so copying or a screen reader gets the full name.
 */
export function FileName({ name, testId }: { name: string; testId?: string }) {
  const parts = splitFileName(name);
  return (
    <span className="file-name" title={name} data-testid={testId}>
      {parts ? (
        <>
          <span className="file-name-head">{parts[0]}</span>
          <span className="file-name-tail">{parts[1]}</span>
        </>
      ) : (
        <span className="file-name-head">{name}</span>
      )}
    </span>
  );
}
