import { DatasetSection } from './DatasetSection';
import { EncodeSection } from './EncodeSection';
import { ResultSection } from './ResultSection';
import { TrainSection } from './TrainSection';

export function FinetunePanel() {
  return (
    <section className="panel" aria-labelledby="finetune-title">
      <header className="panel-header">
        <h2 id="finetune-title">Train a kinship model on your own dataset</h2>
        <p className="muted">
          Drop a folder of family photos, encode them once, and train a model that tells relatives
          from strangers. You get its accuracy on families it never saw, a model the Score a pair
          tab then uses, and a Kaggle submission file. Everything runs in this browser; nothing is
          uploaded.
        </p>
      </header>
      <DatasetSection />
      <EncodeSection />
      <TrainSection />
      <ResultSection />
    </section>
  );
}
