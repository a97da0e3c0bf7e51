import { Component, type ErrorInfo, type ReactNode } from 'react';
import { deleteDatabases } from '../lib/idb';

interface State {
  error: Error | null;
  componentStack: string;
  copied: boolean;
}

/** Catches render crashes and offers a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null, componentStack: '', copied: false };

  static getDerivedStateFromError(error: Error): Partial<State> {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    this.setState({ componentStack: info.componentStack ?? '' });
    console.error('KinLens crashed:', error);
  }

  private diagnostics(): string {
    const { error, componentStack } = this.state;
    return [
      `KinLens diagnostics ${new Date().toISOString()}`,
      `User agent: ${navigator.userAgent}`,
      `Cross-origin isolated: ${String(globalThis.crossOriginIsolated)}`,
      `Error: ${error?.name}: ${error?.message}`,
      `Stack: ${error?.stack ?? ''}`,
      `Component stack: ${componentStack}`,
    ].join('\n');
  }

  private async clearCaches(): Promise<void> {
    await deleteDatabases('kinlens');
    localStorage.clear();
    location.reload();
  }

  override render(): ReactNode {
    const { error, copied } = this.state;
    if (!error) return this.props.children;
    return (
      <main className="crash" role="alert">
        <h1>Something went wrong</h1>
        <p>
          KinLens hit an unexpected error: <code>{error.message}</code>
        </p>
        <p className="muted">
          Your installed weights, cached embeddings and trained heads are stored in this browser and
          are still there after a reload.
        </p>
        <div className="button-row">
          <button type="button" className="primary" onClick={() => location.reload()}>
            Reload
          </button>
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard
                ?.writeText(this.diagnostics())
                .then(() => this.setState({ copied: true }));
            }}
          >
            {copied ? 'Copied' : 'Copy diagnostics'}
          </button>
          <button type="button" className="danger" onClick={() => void this.clearCaches()}>
            Clear all local data and reload
          </button>
        </div>
        <details>
          <summary>Details</summary>
          <pre>{this.diagnostics()}</pre>
        </details>
      </main>
    );
  }
}
