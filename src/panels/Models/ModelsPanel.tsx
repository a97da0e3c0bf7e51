import { useRef } from 'react';
import { useAppState } from '../../store';
import type { ModelStatus } from '../../worker/models';
import { BuiltInCards } from './BuiltInCards';
import { DropZone } from '../common/DropZone';
import { FileName } from '../common/FileName';
import { ProgressBar } from '../common/ProgressBar';
import { formatBytes } from '../../lib/format';
import { KinshipModels } from './KinshipModels';

const VARIANT_TEXT: Record<string, string> = {
  vggface: 'keras-vggface RESNET50 (VGGFace2)',
  'keras-old': 'Keras applications ResNet50, old layer names',
  'keras-new': 'tf.keras ResNet50, new layer names',
};

const WHERE_TO_GET: Record<ModelStatus['id'], string> = {
  'resnet50-vggface': 'rcmalli_vggface_tf_notop_resnet50.h5 (keras-vggface v2.0 release)',
  'resnet50-imagenet': 'resnet50_weights_tf_dim_ordering_tf_kernels_notop.h5 (Keras applications)',
};

function ModelCard({
  m,
  onRemove,
  onReplace,
  busy,
}: {
  m: ModelStatus;
  onRemove: () => void;
  onReplace: () => void;
  busy: boolean;
}) {
  return (
    <article className="model-card" data-testid={`model-${m.id}`} data-state={m.state}>
      <header>
        <h3>{m.label}</h3>
        <span className={`pill pill-${m.state}`} data-testid={`model-${m.id}-state`}>
          {m.state !== 'ready'
            ? 'not installed'
            : m.source === 'preinstalled'
              ? 'ready (preinstalled)'
              : m.source === null
                ? 'ready (this session only)'
                : 'ready'}
        </span>
      </header>
      {m.state === 'ready' ? (
        <dl className="kv small">
          <div className="kv-row">
            <dt>Variant</dt>
            <dd data-testid={`model-${m.id}-variant`}>
              {m.variant ? VARIANT_TEXT[m.variant] : '—'}
            </dd>
          </div>
          <div className="kv-row">
            <dt>Parameters</dt>
            <dd data-testid={`model-${m.id}-params`}>
              {m.parameterCount?.toLocaleString('en-US') ?? '—'}
            </dd>
          </div>
          <div className="kv-row">
            <dt>Weights</dt>
            <dd>
              {m.byteLength === null ? '—' : formatBytes(m.byteLength)} · {m.weightTensors} tensors
              · sha256 {m.sha256?.slice(0, 12)}…
            </dd>
          </div>
          <div className="kv-row">
            <dt>From</dt>
            <dd>
              {m.sourceName ? (
                <FileName name={m.sourceName} testId={`model-${m.id}-source`} />
              ) : null}
              {m.installedAt ? ` · ${new Date(m.installedAt).toLocaleString()}` : ''}
              {m.loadMs !== null ? ` · loaded in ${(m.loadMs / 1000).toFixed(1)} s` : ''}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="muted small">
          Drop the weights file here or below. Usually: {WHERE_TO_GET[m.id]}.
        </p>
      )}
      {m.state === 'ready' && m.source !== 'preinstalled' && (
        <div className="button-row">
          <button type="button" onClick={onReplace} disabled={busy}>
            Replace…
          </button>
          <button
            type="button"
            className="danger"
            onClick={onRemove}
            disabled={busy}
            data-testid={`model-${m.id}-remove`}
          >
            Remove
          </button>
        </div>
      )}
    </article>
  );
}

export function ModelsPanel() {
  const s = useAppState((st) => ({
    models: st.models,
    restoring: st.modelsRestoring,
    installing: st.installing,
    install: st.installWeights,
    cancel: st.cancelInstall,
    remove: st.removeModel,
    encoders: st.encoderInfos,
    builtIns: st.builtIns,
  }));
  const picker = useRef<HTMLInputElement>(null);
  const busy = s.installing.status === 'running';
  const descriptor = s.encoders.find((e) => e.id === 'face-descriptor');

  return (
    <section className="panel" aria-labelledby="models-title">
      <header className="panel-header">
        <h2 id="models-title">Encoders</h2>
        <p className="muted">
          The built-in encoders work out of the box: the face descriptor at once, faceres,
          faceres-deep and their ensemble a moment later (served by this site, no download from
          elsewhere). Add the ResNet50 encoders by dropping their published Keras weights (.h5) or a
          TF.js model (model.json with its .bin files); they are kept in this browser.
        </p>
      </header>
      <div className="model-grid">
        <article className="model-card" data-testid="model-face-descriptor" data-state="ready">
          <header>
            <h3>{descriptor?.label ?? 'Face descriptor (dlib ResNet-34)'}</h3>
            <span className="pill pill-ready">built in</span>
          </header>
          <p className="muted small">
            face-api’s face-recognition net: 128-d descriptor of an aligned 150×150 face. Shipped
            with the app, no download.
          </p>
        </article>
        <BuiltInCards statuses={s.builtIns} />
        {s.models.map((m) => (
          <ModelCard
            key={m.id}
            m={m}
            busy={busy}
            onRemove={() => void s.remove(m.id)}
            onReplace={() => picker.current?.click()}
          />
        ))}
      </div>
      <KinshipModels />
      <DropZone
        testId="weights"
        inputRef={picker}
        label="Drop weight files, or press Enter to choose them"
        className="dropzone-folder"
        multiple
        accept=".h5,.hdf5,.json,.bin"
        onDrop={(data) => {
          const files = Array.from(data.files);
          if (files.length) void s.install(files);
        }}
        onPick={(files) => void s.install(Array.from(files))}
      >
        <div className="dropzone-empty">
          <strong>Drop weights here</strong>
          <span className="muted">
            a Keras <code>.h5</code> (weights-only or full model), or <code>model.json</code> + its{' '}
            <code>.bin</code> shards · the encoder type is detected from the file
          </span>
        </div>
      </DropZone>
      {busy && (
        <div className="field-row" role="status">
          <ProgressBar
            progress={s.installing.progress}
            label={`Installing ${s.installing.files}`}
            unit="layers"
          />
          <button type="button" onClick={s.cancel}>
            Cancel
          </button>
        </div>
      )}
      {s.installing.status === 'error' && (
        <p className="error-text" role="alert" data-testid="install-error">
          {s.installing.error}
        </p>
      )}
      {s.restoring && (
        <p className="muted" role="status">
          <span className="spinner" aria-hidden="true" /> Loading installed encoders…
        </p>
      )}
    </section>
  );
}
