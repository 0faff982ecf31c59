import { describe, expect, it } from 'vitest';
import { hex4, hex4Upper } from './hex4.ts';

describe('hex4', () => {
  it('is every 16-bit value as 4 zero-padded hex digits, the same strings as the 65,536-entry tables it replaced', () => {
    for (let v = 0; v < 65536; v++) {
      const want = v.toString(16).padStart(4, '0');
      if (hex4(v) !== want || hex4Upper(v) !== want.toUpperCase()) expect([v, hex4(v), hex4Upper(v)]).toEqual([v, want, want.toUpperCase()]);
    }
    expect([hex4(0), hex4(0x0a3f), hex4(0xffff), hex4Upper(0x0a3f)]).toEqual(['0000', '0a3f', 'ffff', '0A3F']);
  });
});
