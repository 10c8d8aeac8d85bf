// Keyed pseudonyms: stable per org and secret, unlinkable across orgs or secrets, recognisable.
import { describe, expect, it } from 'vitest';
import { isPseudonym, pseudonymise } from '../../../warehouse/pseudonymise.ts';

const secret = Buffer.alloc(32, 7);

describe('pseudonymise', () => {
  it('maps an id to the same pseudonym every time, and looks like one', () => {
    const a = pseudonymise(secret, 'acme', 'u-1');
    expect(pseudonymise(secret, 'acme', 'u-1')).toBe(a);
    expect(isPseudonym(a)).toBe(true);
    expect(isPseudonym('u-1')).toBe(false);
    expect(a).not.toContain('u-1');
  });

  it('differs between ids, organisations and secrets', () => {
    const a = pseudonymise(secret, 'acme', 'u-1');
    expect(pseudonymise(secret, 'acme', 'u-2')).not.toBe(a);
    expect(pseudonymise(secret, 'globex', 'u-1')).not.toBe(a);
    expect(pseudonymise(Buffer.alloc(32, 8), 'acme', 'u-1')).not.toBe(a);
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    expect(pseudonymise(secret, 'ab', 'c')).not.toBe(pseudonymise(secret, 'a', 'bc'));
  });

  it('has no collisions over a directory-sized set of ids', () => {
    const seen = new Set(Array.from({ length: 20_000 }, (_, i) => pseudonymise(secret, 'acme', `user-${i}`)));
    expect(seen.size).toBe(20_000);
  });
});
