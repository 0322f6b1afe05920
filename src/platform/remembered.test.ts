import { describe, expect, it } from 'vitest';
import { remembered } from './remembered.ts';

describe('remembered results', () => {
  it('works a key out once, and starts again when full', () => {
    let made = 0;
    const words = remembered<string>(2);
    const make = (k: string) => () => `${k}:${++made}`;
    expect(words('a', make('a'))).toBe('a:1');
    expect(words('a', make('a'))).toBe('a:1');
    expect(words('b', make('b'))).toBe('b:2');
    expect(words('c', make('c'))).toBe('c:3'); // full: forgets a and b
    expect(words('a', make('a'))).toBe('a:4');
    expect(made).toBe(4);
  });
});
