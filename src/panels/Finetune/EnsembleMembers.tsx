import type { EnsembleSummary } from '../../finetune/train';

/** One row per head of an ensemble: what it held out and how it did there. */
export function EnsembleMembers({ ensemble }: { ensemble: EnsembleSummary }) {
  const stopped = ensemble.members.length < ensemble.requested;
  return (
    <div className="table-wrap">
      <table className="compare-table" data-testid="ensemble-members">
        <caption className="muted small">
          {ensemble.members.length} heads
          {stopped ? ` (stopped: ${ensemble.requested} asked for)` : ''}, each on the families it
          held out; the out-of-fold AUC above pools these scores.
        </caption>
        <thead>
          <tr>
            <th scope="col">Head</th>
            <th scope="col">Held out</th>
            <th scope="col">Families</th>
            <th scope="col">Image AUC</th>
            <th scope="col">Member AUC</th>
            <th scope="col">Best epoch</th>
          </tr>
        </thead>
        <tbody>
          {ensemble.members.map((m, i) => (
            <tr key={i} data-testid="ensemble-member">
              <td>{i + 1}</td>
              <td>{m.heldOut.replace(/^validation: /, '')}</td>
              <td>{m.validationFamilies}</td>
              <td data-testid="member-auc">{m.imageAuc.toFixed(3)}</td>
              <td>{m.memberAuc.toFixed(3)}</td>
              <td>
                {m.bestEpoch} of {m.epochsRun}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
