import { Option, type Command } from 'commander';
// The verdicts from their own module, not core/index.ts: --help loads the command registrations only.
import { FEEDBACK_VERDICTS } from '../../core/vocabulary.ts';
import type { FeedbackCommandOptions } from '../actions/feedback.ts';

export function register(program: Command): void {
  program
    .command('feedback')
    .description('give a verdict on a finding; the detector suppresses what was marked benign for that entity and pattern')
    .argument('<findingId>', 'the finding (from the alert, the report or the findings table)')
    .addOption(new Option('--verdict <verdict>', 'was it a real incident?').choices([...FEEDBACK_VERDICTS]).makeOptionMandatory())
    .option('--note <text>', 'why (kept with the verdict)')
    .option('--endpoint <url>', 'the emulator the pipeline runs on (default FIREDRILL_ENDPOINT / AWS_ENDPOINT_URL, else AWS)')
    .option('--prefix <prefix>', 'the pipeline\'s resource prefix (default FIREDRILL_PREFIX, else firedrill)')
    .option('--json', 'print the stored verdict as JSON')
    .action(async (findingId: string, opts: FeedbackCommandOptions) => {
      const { feedbackCommand } = await import('../actions/feedback.ts');
      process.exitCode = await feedbackCommand(findingId, opts);
    });
}
