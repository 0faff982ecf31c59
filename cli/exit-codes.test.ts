import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { ConfigError, FiredrillError } from '../core/index.ts';
import { exitCodeOf } from './actions/run.ts';
import { EXIT, exitCodeFor, worstExit } from './exit-codes.ts';
import { erroredScorecard } from '../harness/drill/index.ts';
import { toJUnit } from '../harness/reports/index.ts';

describe('exit codes', () => {
  it('bad input is 2, the environment and crashes are 3, help and version 0', () => {
    expect(exitCodeFor(new ConfigError('bad flag'))).toBe(EXIT.usage);
    expect(exitCodeFor(new CommanderError(1, 'commander.unknownOption', 'unknown option'))).toBe(EXIT.usage);
    expect(exitCodeFor(new CommanderError(0, 'commander.version', '0.1.0'))).toBe(EXIT.passed);
    expect(exitCodeFor(new FiredrillError('no emulator'))).toBe(EXIT.crash);
    expect(exitCodeFor(new TypeError('undefined is not a function'))).toBe(EXIT.crash);
  });

  it('the worst of several drills wins: crash over bad input over a failed expectation', () => {
    expect(worstExit([0, 1, 0])).toBe(1);
    expect(worstExit([1, 2, 0])).toBe(2);
    expect(worstExit([3, 2, 1])).toBe(3);
    expect(worstExit([])).toBe(0);
    const crashed = erroredScorecard('drills/bad-day.yaml', new Error('socket hang up'));
    const refused = erroredScorecard('drills/x.yaml', new ConfigError('no such file'));
    expect(crashed.error).toMatchObject({ usage: false, type: 'Error' });
    expect(refused.error).toMatchObject({ usage: true, type: 'ConfigError' });
    expect(exitCodeOf([crashed, refused])).toBe(3);
    expect(exitCodeOf([refused])).toBe(2);
  });

  it('an errored drill is a JUnit <error>, escaped, with the error class as its type', () => {
    const xml = toJUnit([erroredScorecard('bad-day.yml', new Error('read ECONNRESET <at> "moto"'))]);
    expect(xml).toContain('<testsuite name="bad-day" tests="1" failures="0" errors="1"');
    expect(xml).toContain('<error type="Error" message="read ECONNRESET &lt;at&gt; &quot;moto&quot;">');
    expect(xml).toContain('<testsuites name="firedrill" tests="1" failures="0" errors="1">');
  });
});
