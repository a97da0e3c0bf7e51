/**
 * `npm run train`: fine-tune a kinship head from the command line, on the same core as the
 * app's Fine-tune tab (see cli/train/args.ts for the options). Node, tfjs-backend-wasm, the face
 * models from node_modules; progress on stderr, results on stdout.
 */
import { parseArgs } from './train/args';
import { runEvaluate, runScore, runTrain } from './train/commands';
import { runIfMain } from './run-main';

export async function main(argv: readonly string[]): Promise<void> {
  const cmd = parseArgs(argv);
  if (cmd.kind === 'train') {
    const { summary, head } = await runTrain(cmd);
    head.dispose();
    console.log(
      JSON.stringify({
        out: cmd.out,
        valImageAuc: summary.valImageAuc,
        valMemberAuc: summary.valMemberAuc,
        // An ensemble's figures pool each head's scores on the families it held out.
        outOfFold: summary.ensemble !== null,
        ...(summary.ensemble
          ? {
              members: summary.ensemble.members.map((m) => ({
                heldOut: m.heldOut,
                imageAuc: m.imageAuc,
                memberAuc: m.memberAuc,
                bestEpoch: m.bestEpoch,
              })),
            }
          : {}),
      }),
    );
  } else if (cmd.kind === 'evaluate') {
    const r = await runEvaluate(cmd);
    console.log(
      JSON.stringify({
        imageAuc: r.imageAuc,
        memberAuc: r.memberAuc,
        imagePairs: r.imagePairs,
        memberPairs: r.memberPairs,
        outOfFold: r.outOfFold,
        flipTtaPairs: r.flipTta.pairs,
      }),
    );
  } else {
    console.log(JSON.stringify({ probability: await runScore(cmd) }));
  }
}

runIfMain(import.meta.url, () => main(process.argv.slice(2)));
