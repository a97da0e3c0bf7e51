import { useEffect, type ReactNode } from 'react';
import { BackendBadge } from '../panels/Backend/BackendBadge';
import { BackendPanel } from '../panels/Backend/BackendPanel';
import { PairPanel } from '../panels/Pair/PairPanel';
import { FinetunePanel } from '../panels/Finetune/FinetunePanel';
import { ComparePanel } from '../panels/Compare/ComparePanel';
import { ModelsPanel } from '../panels/Models/ModelsPanel';
import { useAppState, useAppStore } from '../store';
import { Notifications } from './Notifications';
import { TabBar, type TabSpec } from './TabBar';
import { crashRequested, SimulatedCrash } from './SimulatedCrash';

interface Tab extends TabSpec {
  render: () => ReactNode;
}

const TABS: Tab[] = [
  { id: 'pair', label: 'Score a pair', render: () => <PairPanel /> },
  { id: 'finetune', label: 'Fine-tune', render: () => <FinetunePanel /> },
  { id: 'compare', label: 'Compare', render: () => <ComparePanel /> },
  { id: 'models', label: 'Encoders', render: () => <ModelsPanel /> },
  { id: 'backend', label: 'Backend', render: () => <BackendPanel /> },
];

let startup: Promise<void> | null = null;

export function App() {
  if (crashRequested()) return <SimulatedCrash />;
  return <KinLensApp />;
}

function KinLensApp() {
  const { tab, setTab } = useAppState((s) => ({ tab: s.activeTab, setTab: s.setActiveTab }));

  // Start-up, in order: compute backend, the remembered head choice, built-in face stack,
  // built-in and saved heads, installed encoders (and their saved heads), the check for data
  // removed since the last visit, then the background built-ins (faceres, faceres-deep, the
  // ensemble: ~21 MB, after everything the first verdict needs). Once per page: React's StrictMode
  // mounts effects twice in development. Actions are stable, so they are read from the store.
  useEffect(() => {
    startup ??= (async () => {
      const app = useAppStore.getState();
      // Without a running worker the later steps would only repeat the same error.
      if (!(await app.startBackend())) return;
      void app.watchStorage().catch(() => undefined);
      await app.sendHeadChoice();
      await app.prepareFaceStack();
      // The built-in and saved heads of the face descriptor first: the first verdict needs them.
      await app.loadBuiltInHeads();
      await app.refreshSavedHeads();
      await app.warmUp();
      await app.restoreModels();
      await app.refreshSavedHeads();
      await app.checkSavedData();
      if (useAppStore.getState().faceStack.status === 'ready') await app.loadBuiltInEncoders();
    })();
  }, []);

  const active = TABS.find((t) => t.id === tab) ?? TABS[0];

  return (
    <div className="app">
      <header className="app-header">
        <div className="brand">
          <h1>KinLens</h1>
          <p className="tagline">
            Are these two people related? Face-based kinship, entirely in your browser.
          </p>
        </div>
        <BackendBadge onOpen={() => setTab('backend')} />
      </header>
      <TabBar tabs={TABS} active={active?.id ?? 'pair'} onSelect={setTab} />
      <main
        id={`tabpanel-${active?.id}`}
        role="tabpanel"
        aria-labelledby={`tab-${active?.id}`}
        className="content"
      >
        {active?.render()}
      </main>
      <Notifications />
      <footer className="app-footer muted">
        Private by design: photos, datasets and weights stay on this device.
      </footer>
    </div>
  );
}
