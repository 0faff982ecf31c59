import type { Command } from 'commander';
import { register as setup } from './setup.ts';
import { register as doctor } from './doctor.ts';
import { register as up } from './up.ts';
import { register as generate } from './generate.ts';
import { register as generateScenario } from './generate-scenario.ts';
import { register as list } from './list.ts';
import { register as validate } from './validate.ts';
import { register as run } from './run.ts';
import { register as detect } from './detect.ts';
import { register as ingest } from './ingest.ts';
import { register as load } from './load.ts';
import { register as sut } from './sut.ts';
import { register as score } from './score.ts';
import { register as feedback } from './feedback.ts';
import { register as compare } from './compare.ts';
import { register as plan } from './plan.ts';
import { register as down } from './down.ts';

/** Each command lives in its own file and registers itself here (one line each). */
export const commands: ((program: Command) => void)[] = [
  setup,
  doctor,
  up,
  generate,
  generateScenario,
  list,
  validate,
  run,
  detect,
  ingest,
  load,
  sut,
  score,
  feedback,
  compare,
  plan,
  down,
];
