// k-anonymity with complementary suppression: no withheld group can be rebuilt by subtraction.
import { describe, expect, it } from 'vitest';
import { suppressSmallGroups, withheldPoints } from '../../../warehouse/privacy/suppress-small-groups.ts';

interface Row {
  id: string;
  parent?: string;
  n: number;
  period?: string;
}

const options = { k: 5, groupKey: (r: Row) => r.id, sizeOf: (r: Row) => r.n, parentOf: (r: Row) => r.parent, partitionOf: (r: Row) => r.period ?? '' };

function withheld(rows: Row[], extra: Partial<typeof options> & { rootTotalPublished?: boolean } = {}): string[] {
  return suppressSmallGroups(rows, { ...options, ...extra })
    .filter((m) => m.suppressed)
    .map((m) => m.row.id)
    .sort();
}

/** The attacker's view: for every published parent total, subtract its published children. */
function recoverable(rows: Row[], hidden: Set<string>, k: number): string[] {
  const found: string[] = [];
  const parents = new Set(rows.map((r) => r.parent ?? '(root)'));
  for (const parent of parents) {
    if (parent !== '(root)' && hidden.has(parent)) continue;
    const children = rows.filter((r) => (r.parent ?? '(root)') === parent);
    // A table whose top level is all withheld: the organisation total is itself the small group, the caller's to withhold.
    if (parent === '(root)' && children.every((r) => hidden.has(r.id) || r.n === 0)) continue;
    const hiddenChildren = children.filter((r) => hidden.has(r.id) && r.n > 0);
    const mass = hiddenChildren.reduce((s, r) => s + r.n, 0);
    if (hiddenChildren.length > 0 && mass < k) found.push(...hiddenChildren.map((r) => r.id));
  }
  return found;
}

describe('suppressSmallGroups', () => {
  it('withholds groups under k people and leaves the rest', () => {
    expect(withheld([{ id: 'a', n: 4 }, { id: 'b', n: 5 }, { id: 'c', n: 12 }, { id: 'd', n: 9 }])).toEqual(['a', 'b']);
  });

  it('suppresses one more sibling when exactly one is small, so the parent total minus the rest reveals nothing', () => {
    // fin = 30 people published; teams 3 + 12 + 15. Withholding only "ap" would give it away as 30 − 27.
    const rows = [{ id: 'fin', n: 30 }, { id: 'ap', parent: 'fin', n: 3 }, { id: 'ar', parent: 'fin', n: 12 }, { id: 'tax', parent: 'fin', n: 15 }];
    expect(withheld(rows)).toEqual(['ap', 'ar']);
  });

  it('keeps adding siblings until the withheld part covers k people', () => {
    const rows = [{ id: 'p', n: 40 }, { id: 'a', parent: 'p', n: 2 }, { id: 'b', parent: 'p', n: 2 }, { id: 'c', parent: 'p', n: 30 }, { id: 'd', parent: 'p', n: 6 }];
    // a + b = 4 < 5, so the smallest published sibling (d) goes too.
    expect(withheld(rows)).toEqual(['a', 'b', 'd']);
  });

  it('suppresses the parent when there is no sibling left to hide behind, and carries on upwards', () => {
    // fin has 5 people of its own besides fin-ap: withholding fin hides fin-ap, and 8 ≥ k at the top.
    expect(withheld([{ id: 'fin', n: 8 }, { id: 'ops', n: 50 }, { id: 'fin-ap', parent: 'fin', n: 3 }])).toEqual(['fin', 'fin-ap']);
    const rows = [
      { id: 'fin', n: 3 },
      { id: 'ops', n: 50 },
      { id: 'hr', n: 20 },
      { id: 'fin-ap', parent: 'fin', n: 3 },
    ];
    // fin-ap alone under fin (and fin small itself); then fin (3) at the top needs a partner: hr (20).
    expect(withheld(rows)).toEqual(['fin', 'fin-ap', 'hr']);
  });

  it('keeps a withheld parent from being rebuilt by adding up its published children', () => {
    const rows = [
      { id: 'a', n: 3 },
      { id: 'b', n: 40 },
      { id: 'c', n: 60 },
      { id: 'b1', parent: 'b', n: 20 },
      { id: 'b2', parent: 'b', n: 20 },
    ];
    // a is small → b (smallest top-level sibling) is withheld with it; b = b1 + b2 would rebuild it, so b1 goes too,
    // and b1 alone under b is fine because b is withheld.
    expect(withheld(rows)).toEqual(['a', 'b', 'b1']);
  });

  it('ignores empty groups (nothing to disclose) and treats top-level rows as siblings under the organisation', () => {
    expect(withheld([{ id: 'a', n: 0 }, { id: 'b', n: 7 }, { id: 'c', n: 9 }])).toEqual([]);
    expect(withheld([{ id: 'a', n: 2 }, { id: 'b', n: 7 }, { id: 'c', n: 9 }])).toEqual(['a', 'b']);
    expect(withheld([{ id: 'a', n: 2 }, { id: 'b', n: 7 }], { rootTotalPublished: false })).toEqual(['a']);
  });

  it('treats each period as its own table', () => {
    const rows = [
      { id: 'x', n: 3, period: 'w1' },
      { id: 'y', n: 10, period: 'w1' },
      { id: 'x', n: 8, period: 'w2' },
      { id: 'y', n: 10, period: 'w2' },
    ];
    const marked = suppressSmallGroups(rows, options);
    expect(marked.map((m) => m.suppressed)).toEqual([true, true, false, false]);
    expect(marked[0]).toMatchObject({ suppressed: true, reason: 'small' });
    expect(marked[1]).toMatchObject({ suppressed: true, reason: 'complementary' });
  });

  it('leaves nothing recoverable by subtraction across many random trees', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 300; trial++) {
      const rows: Row[] = [];
      const top = 1 + Math.floor(random() * 4);
      for (let t = 0; t < top; t++) {
        const children = Math.floor(random() * 4);
        const kids: Row[] = Array.from({ length: children }, (_, c) => ({ id: `d${t}.${c}`, parent: `d${t}`, n: Math.floor(random() * 12) }));
        const own = Math.floor(random() * 6);
        rows.push({ id: `d${t}`, n: own + kids.reduce((s, r) => s + r.n, 0) }, ...kids);
      }
      const hidden = new Set(withheld(rows));
      expect(recoverable(rows, hidden, 5), JSON.stringify(rows)).toEqual([]);
      for (const r of rows) if (r.n > 0 && r.n < 5) expect(hidden.has(r.id)).toBe(true);
    }
  });

  it('turns withheld points into value: null, n: null, suppressed: true', () => {
    const points = [{ department: 'a', value: 0.5, n: 3 }, { department: 'b', value: 0.2, n: 9 }, { department: 'c', value: 0.1, n: 20 }];
    const marked = suppressSmallGroups(points, { k: 5, groupKey: (p) => p.department, sizeOf: (p) => p.n });
    expect(withheldPoints(marked)).toEqual([
      { department: 'a', value: null, n: null, suppressed: true },
      { department: 'b', value: null, n: null, suppressed: true },
      { department: 'c', value: 0.1, n: 20 },
    ]);
  });

  it('refuses a nonsensical k or size', () => {
    expect(() => suppressSmallGroups([{ id: 'a', n: 1 }], { ...options, k: 0 })).toThrow(RangeError);
    expect(() => suppressSmallGroups([{ id: 'a', n: -1 }], options)).toThrow(RangeError);
  });
});
