import { describe, expect, it } from 'vitest';
import { pipInstallArgs } from './python-venv.ts';

describe('pipInstallArgs', () => {
  it('turns on hash-checking mode when the file pins hashes, and only then', () => {
    const locked = 'boto3==1.44.18 \\\n    --hash=sha256:0a1b2c\nbotocore==1.44.18 --hash=sha256:3d4e5f\n';
    expect(pipInstallArgs(locked, '/x/requirements.txt')).toEqual(['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-input', '--require-hashes', '-r', '/x/requirements.txt']);
    expect(pipInstallArgs('boto3==1.44.18\n', '/x/r.txt')).not.toContain('--require-hashes');
    // A comment that mentions hashes is not a hash.
    expect(pipInstallArgs('# regenerate with --hash=sha256 pins\nboto3\n', '/x/r.txt')).not.toContain('--require-hashes');
  });
});
