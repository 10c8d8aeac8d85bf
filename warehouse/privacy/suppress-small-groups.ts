// k-anonymity for people-level figures: a group of fewer than k people is suppressed (its value
// withheld, not rounded), and enough further groups are suppressed that no withheld group can be
// recovered by subtraction (complementary suppression). Pure; the read API, CSV exports and pages
// call it on the rows they are about to show.
//
// The attack it stops: a parent's total is published (a department, or the organisation), and so
// are all of its children but one. Then parent − Σ(published children) = the withheld child. The
// rule, applied within every set of siblings until nothing changes:
//
//   let S = the suppressed siblings. If 0 < Σ size(S) < k, suppress the smallest published sibling
//   that has people (so the withheld remainder covers at least k people); if no sibling is left,
//   suppress the parent instead, which moves the problem one level up.
//
// A lone suppressed child is the "exactly one" case; two withheld teams of 2 people each are also
// caught, since together they are a recoverable group of 4 < k. And a withheld total keeps at least
// one of its children withheld, since children that add up to their parent would rebuild it.
//
// Limits (docs/security.md): it protects one published table at a time. Comparing two tables over
// different groupings, or the same group across periods when one person joins or leaves, can still
// narrow figures down; callers publish one grouping per view and keep k ≥ 5.

export type SuppressionReason = 'small' | 'complementary';

export interface SuppressOptions<R> {
  /** Minimum group size; groups with 0 < size < k are suppressed. */
  k: number;
  /** Identifies a group within its partition (e.g. the department id). */
  groupKey: (row: R) => string;
  /** The number of distinct people the row's figure is computed over. */
  sizeOf: (row: R) => number;
  /**
   * The key of the group whose total includes this row (e.g. the parent department), or undefined
   * for a top-level row. Top-level rows are siblings under the organisation total, which is assumed
   * to be published (see `rootTotalPublished`).
   */
  parentOf?: (row: R) => string | undefined;
  /** Rows in different partitions (e.g. periods) are independent tables; default: one partition. */
  partitionOf?: (row: R) => string;
  /** Whether the total over the top-level rows can be learnt elsewhere (default true). */
  rootTotalPublished?: boolean;
}

export type Suppressed<R> = { row: R; suppressed: false } | { row: R; suppressed: true; reason: SuppressionReason };

const ROOT = '\u0000root';

interface Node {
  index: number;
  key: string;
  parent: string;
  size: number;
  reason: SuppressionReason | undefined;
}

/** Returns every row, in input order, marked suppressed or not. */
export function suppressSmallGroups<R>(rows: readonly R[], options: SuppressOptions<R>): Suppressed<R>[] {
  if (!Number.isInteger(options.k) || options.k < 1) throw new RangeError(`k must be a positive integer, got ${options.k}`);
  const partitions = new Map<string, Node[]>();
  rows.forEach((row, index) => {
    const size = options.sizeOf(row);
    if (!Number.isFinite(size) || size < 0) throw new RangeError(`group size must be a non-negative number, got ${size}`);
    const node: Node = {
      index,
      key: options.groupKey(row),
      parent: options.parentOf?.(row) ?? ROOT,
      size,
      reason: size > 0 && size < options.k ? 'small' : undefined,
    };
    const partition = options.partitionOf?.(row) ?? '';
    const list = partitions.get(partition);
    if (list) list.push(node);
    else partitions.set(partition, [node]);
  });
  for (const nodes of partitions.values()) suppressComplements(nodes, options.k, options.rootTotalPublished ?? true);

  const reasons = new Map<number, SuppressionReason | undefined>();
  for (const nodes of partitions.values()) for (const n of nodes) reasons.set(n.index, n.reason);
  return rows.map((row, index) => {
    const reason = reasons.get(index);
    return reason ? { row, suppressed: true, reason } : { row, suppressed: false };
  });
}

function suppressComplements(nodes: Node[], k: number, rootTotalPublished: boolean): void {
  const byKey = new Map(nodes.map((n) => [n.key, n]));
  const siblings = new Map<string, Node[]>();
  for (const n of nodes) {
    // A parent that is not among the rows is still a published total somewhere (it is named).
    const list = siblings.get(n.parent);
    if (list) list.push(n);
    else siblings.set(n.parent, [n]);
  }
  const smallestPublished = (group: readonly Node[]) =>
    group.filter((n) => n.reason === undefined && n.size > 0).sort((a, b) => a.size - b.size || a.index - b.index)[0];
  // Each pass suppresses at least one more row or stops, so this ends within nodes.length passes.
  for (let changed = true; changed; ) {
    changed = false;
    for (const [parentKey, group] of siblings) {
      const parent = byKey.get(parentKey);
      if (parent?.reason !== undefined) {
        // Rule B: a withheld total must not be rebuilt by adding up its children (they may sum to
        // it), so at least one child with people stays withheld too.
        if (group.some((n) => n.reason !== undefined && n.size > 0)) continue;
        const child = smallestPublished(group);
        if (!child) continue;
        child.reason = 'complementary';
        changed = true;
        continue;
      }
      // Rule A: the withheld part of a published total covers 0 or at least k people.
      if (parentKey === ROOT && !rootTotalPublished) continue;
      const withheld = group.filter((n) => n.reason !== undefined).reduce((sum, n) => sum + n.size, 0);
      if (withheld === 0 || withheld >= k) continue;
      const candidate = smallestPublished(group);
      if (candidate) candidate.reason = 'complementary';
      else if (parent) parent.reason = 'complementary';
      else continue;
      changed = true;
    }
  }
}

/**
 * Convenience for callers that publish `{ value, n }` points: suppressed rows keep their keys but
 * lose their figures (`value: null, n: null, suppressed: true`), as the read API documents.
 */
export function withheldPoints<R extends { value: number | null; n: number | null }>(
  marked: readonly Suppressed<R>[],
): Array<R | (Omit<R, 'value' | 'n'> & { value: null; n: null; suppressed: true })> {
  return marked.map((m) => (m.suppressed ? { ...m.row, value: null, n: null, suppressed: true as const } : m.row));
}
