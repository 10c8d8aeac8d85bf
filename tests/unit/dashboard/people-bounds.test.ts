// The k-check from people bounds: the largest row's people show a group, the rows' sum hides it, only
// groups in between are counted exactly — and a row of unknown count (people_n = 0, written before
// the column was filled) never lets the sum hide a group.
import { describe, expect, it } from 'vitest';
import { decideShown, isShownBySmallRows, judgePeople, type PeopleBounds } from '../../../dashboard/src/lib/server/people-bounds.ts';
import { isShown, pageK, setPageK } from '../../../dashboard/src/lib/server/privacy.ts';

describe('judgePeople', () => {
  it('shows a group once one row alone has k people', () => {
    expect(judgePeople({ peopleAtLeast: 5, peopleAtMost: 40 })).toBe('shown');
  });

  it('hides a group whose rows add up to fewer than k people', () => {
    expect(judgePeople({ peopleAtLeast: 2, peopleAtMost: 4 })).toBe('hidden');
  });

  it('leaves undecided a group whose rows are each under k but add up to k or more', () => {
    expect(judgePeople({ peopleAtLeast: 4, peopleAtMost: 5 })).toBe('undecided');
  });

  it('never hides on the sum when a row’s count is unknown', () => {
    expect(judgePeople({ peopleAtLeast: 0, peopleAtMost: null })).toBe('undecided');
    expect(judgePeople({ peopleAtLeast: 6, peopleAtMost: null })).toBe('shown');
  });

  it('uses the k it is given', () => {
    expect(judgePeople({ peopleAtLeast: 3, peopleAtMost: 9 }, 3)).toBe('shown');
    expect(judgePeople({ peopleAtLeast: 3, peopleAtMost: 9 }, 10)).toBe('hidden');
  });
});

describe('decideShown', () => {
  type Cell = PeopleBounds & { id: string };
  const cells: Cell[] = [
    { id: 'big', peopleAtLeast: 7, peopleAtMost: 30 },
    { id: 'small', peopleAtLeast: 1, peopleAtMost: 3 },
    { id: 'straddles-shown', peopleAtLeast: 3, peopleAtMost: 8 },
    { id: 'straddles-hidden', peopleAtLeast: 3, peopleAtMost: 8 },
    { id: 'unknown', peopleAtLeast: 0, peopleAtMost: null },
  ];

  it('counts only the undecided groups exactly, once, and keeps the groups’ order', async () => {
    const asked: string[][] = [];
    const exact = new Map([
      ['straddles-shown', 5],
      ['straddles-hidden', 4],
      ['unknown', 6],
    ]);
    const decided = await decideShown(
      cells,
      (c) => c.id,
      async (undecided) => {
        asked.push(undecided.map((c) => c.id));
        return exact;
      },
    );
    expect(asked).toEqual([['straddles-shown', 'straddles-hidden', 'unknown']]);
    expect(decided.map((c) => [c.id, c.shown])).toEqual([
      ['big', true],
      ['small', false],
      ['straddles-shown', true],
      ['straddles-hidden', false],
      ['unknown', true],
    ]);
  });

  it('makes no exact count when the bounds decide every group', async () => {
    let calls = 0;
    const decided = await decideShown(cells.slice(0, 2), (c) => c.id, async () => {
      calls += 1;
      return new Map();
    });
    expect(calls).toBe(0);
    expect(decided.map((c) => c.shown)).toEqual([true, false]);
  });

  it('hides an undecided group the exact count does not return', async () => {
    const decided = await decideShown([cells[2]!], (c) => c.id, async () => new Map());
    expect(decided[0]?.shown).toBe(false);
  });
});

describe('isShownBySmallRows', () => {
  it('shows a group with a row of k people whatever its small rows merge to', () => {
    expect(isShownBySmallRows({ peopleAtLeast: 5, smallRowsPeople: 0 })).toBe(true);
  });

  it('otherwise decides on the merged people of its rows', () => {
    expect(isShownBySmallRows({ peopleAtLeast: 4, smallRowsPeople: 5 })).toBe(true);
    expect(isShownBySmallRows({ peopleAtLeast: 4, smallRowsPeople: 4 })).toBe(false);
    expect(isShownBySmallRows({ peopleAtLeast: 0, smallRowsPeople: 7 })).toBe(true);
  });
});

describe('the pages’ k', () => {
  it('is 5 until configured, follows WAYPOINT_K_ANONYMITY, and never goes below 5', () => {
    expect(pageK()).toBe(5);
    expect(() => setPageK(4)).toThrow(/at least 5/);
    setPageK(10);
    try {
      expect(isShown(9)).toBe(false);
      expect(isShown(10)).toBe(true);
      expect(judgePeople({ peopleAtLeast: 7, peopleAtMost: 9 })).toBe('hidden');
    } finally {
      setPageK(5);
    }
    expect(isShown(5)).toBe(true);
  });
});
