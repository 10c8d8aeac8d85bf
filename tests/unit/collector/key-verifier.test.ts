// Key checks are cached, shared between concurrent requests, and survive a ClickHouse outage for
// keys that were valid.
import { describe, expect, it } from 'vitest';
import { createCachedVerifier } from '../../../collector/key-verifier.ts';

const valid = { org: 'acme', id: 'k1', scope: 'ingest' as const };

describe('cached key verifier', () => {
  it('shares one lookup between concurrent checks of a key', async () => {
    let lookups = 0;
    const verifier = createCachedVerifier(async () => {
      lookups += 1;
      await new Promise((r) => setTimeout(r, 10));
      return valid;
    }, 60_000);
    const results = await Promise.all([verifier.verify('a'), verifier.verify('a'), verifier.verify('a')]);
    expect(results).toEqual([valid, valid, valid]);
    expect(lookups).toBe(1);
  });

  it('keeps a known-good key working from the stale entry when the lookup fails', async () => {
    let down = false;
    const verifier = createCachedVerifier(async () => {
      if (down) throw new Error('connect ECONNREFUSED');
      return valid;
    }, 0);
    expect(await verifier.verify('a')).toEqual(valid);
    down = true;
    expect(await verifier.verify('a')).toEqual(valid);
    await expect(verifier.verify('never-seen')).rejects.toThrow('ECONNREFUSED');
  });

  it('does not keep a rejected key alive through an outage', async () => {
    let down = false;
    const verifier = createCachedVerifier(async () => {
      if (down) throw new Error('down');
      return undefined;
    }, 0);
    expect(await verifier.verify('bad')).toBeUndefined();
    down = true;
    await expect(verifier.verify('bad')).rejects.toThrow('down');
  });
});
