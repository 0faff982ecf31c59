import { describe, expect, it } from 'vitest';
import { motoEnvironment } from './moto-process.ts';

describe('motoEnvironment', () => {
  it('limits the moto server firedrill starts to two malloc arenas, and tells it its port', () => {
    const env = motoEnvironment(5123, { PATH: '/bin' });
    expect(env).toEqual({ PATH: '/bin', MALLOC_ARENA_MAX: '2', MOTO_PORT: '5123' });
  });

  it("keeps the user's own MALLOC_ARENA_MAX", () => {
    expect(motoEnvironment(5123, { MALLOC_ARENA_MAX: '8' }).MALLOC_ARENA_MAX).toBe('8');
  });
});
