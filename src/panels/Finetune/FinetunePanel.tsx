import { DatasetSection } from './DatasetSection';
import { EncodeSection } from './EncodeSection';
import { ResultSection } from './ResultSection';
import { TrainSection } from './TrainSection';

export function FinetunePanel() {
  return (
    <section className="panel" aria-labelledby="finetune-title">
      <header className="panel-header">
        <h2 id="finetune-title">Fine-tune on your dataset</h2>
        <p className="muted">
          Import a Families-in-the-Wild folder, embed every photo once (cached in this browser),
          train the Siamese head on family-disjoint splits, and write a Kaggle submission. Nothing
          is uploaded.
        </p>
      </header>
      <DatasetSection />
      <EncodeSection />
      <TrainSection />
      <ResultSection />
    </section>
  );
}
