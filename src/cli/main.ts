#!/usr/bin/env -S npx tsx
// Polyglot Lab's command line: the same core as the app, headless, for batch work and experiments.
import { UsageError } from './args';
import { runEmbed, EMBED_HELP } from './embed';
import { EVAL_HELP, runEval } from './evaluate';
import { EXPERIMENT_HELP, runExperiment } from './experiment';
import { EXPORT_HELP, runExport } from './export';
import { runTrain, TRAIN_HELP } from './train';

const HELP = `Polyglot Lab command line

usage: npm run cli -- <command> [options]

commands:
${EMBED_HELP}
${EXPORT_HELP}
${TRAIN_HELP}
${EVAL_HELP}
${EXPERIMENT_HELP}
  help                 this text (also --help, -h)

Exit status is 0 on success; on failure a one-line reason goes to stderr and the status is 1
(2 for bad usage).
`;



async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'embed':
      return runEmbed(rest);
    case 'export':
      return runExport(rest);
    case 'train':
      return runTrain(rest);
    case 'eval':
      return runEval(rest);
    case 'experiment':
      return runExperiment(rest);
    default:
      throw new UsageError(`unknown command "${command}" (see --help)`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const usage = e instanceof UsageError;
    process.stderr.write(`error: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = usage ? 2 : 1;
  },
);
