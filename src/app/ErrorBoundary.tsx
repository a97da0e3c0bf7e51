import { Component, type ErrorInfo, type ReactNode } from 'react';
import { DB_PREFIX, deleteDatabases } from '../lib/idb';
import { SIMULATE_CRASH_PARAM } from './SimulatedCrash';

/** Reloads the app, without the simulate-crash flag that may have brought us here. */
function reloadApp(): void {
  const url = new URL(location.href);
  url.searchParams.delete(SIMULATE_CRASH_PARAM);
  location.replace(url);
}

interface State {
  error: Error | null;
  componentStack: string;
  copy: 'idle' | 'copied' | 'failed';
  /** "Clear all local data" asks once before deleting anything. */
  confirmingClear: boolean;
}

/** Catches render crashes and offers a way out instead of a blank page. */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = {
    error: null,
    componentStack: '',
    copy: 'idle',
    confirmingClear: false,
  };

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
    await deleteDatabases(DB_PREFIX);
    localStorage.clear();
    reloadApp();
  }

  override render(): ReactNode {
    const { error, copy, confirmingClear } = this.state;
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
          <button type="button" className="primary" autoFocus onClick={reloadApp}>
            Reload
          </button>
          <button
            type="button"
            onClick={() => {
              const copying = navigator.clipboard?.writeText(this.diagnostics());
              if (!copying) return this.setState({ copy: 'failed' });
              copying.then(
                () => this.setState({ copy: 'copied' }),
                () => this.setState({ copy: 'failed' }),
              );
            }}
          >
            {copy === 'copied' ? 'Copied' : 'Copy diagnostics'}
          </button>
          {!confirmingClear && (
            <button
              type="button"
              className="danger"
              onClick={() => this.setState({ confirmingClear: true })}
            >
              Clear all local data…
            </button>
          )}
        </div>
        {copy === 'failed' && (
          <p className="warning-text">
            The browser did not allow copying; select the text under Details and copy it.
          </p>
        )}
        {confirmingClear && (
          <div className="warning-text">
            <p>
              This deletes the installed encoders, cached embeddings, trained heads and settings
              from this browser, then reloads.
            </p>
            <div className="button-row">
              <button type="button" className="danger" onClick={() => void this.clearCaches()}>
                Delete everything and reload
              </button>
              <button
                type="button"
                autoFocus
                onClick={() => this.setState({ confirmingClear: false })}
              >
                Keep my data
              </button>
            </div>
          </div>
        )}
        <details open={copy === 'failed'}>
          <summary>Details</summary>
          <pre>{this.diagnostics()}</pre>
        </details>
      </main>
    );
  }
}
