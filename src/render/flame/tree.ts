/**
 * Weighted stacks → the tree d3-flame-graph draws ({name, value, children},
 * values as self time), pruned to a node budget: frames too small to see are
 * folded into one "other" node per parent, which says how much it holds.
 */
import type { WeightedStack } from '../../model/weighted.js';

export interface FlameNode {
  name: string;
  /** Self value (the page draws with selfValue(true)). */
  value: number;
  /** Category index into the page's legend (inherited from the base frame). */
  k: number;
  /** How many frames an "other" node stands for (0 for real frames). */
  folded?: number;
  children: FlameNode[];
}

export interface FlameTree {
  readonly root: FlameNode;
  readonly categories: { name: string; total: number }[];
  readonly total: number;
  /** Nodes in the full tree and in the drawn (pruned) one. */
  readonly fullNodes: number;
  readonly drawnNodes: number;
  /** Value folded into "other" nodes. */
  readonly foldedValue: number;
}

interface Full {
  name: string;
  self: number;
  total: number;
  k: number;
  children: Map<string, Full>;
}

export function buildFlameTree(stacks: readonly WeightedStack[], rootName: string, maxNodes = 4000): FlameTree {
  const catIndex = new Map<string, number>();
  const catTotals: number[] = [];
  const root: Full = { name: rootName, self: 0, total: 0, k: -1, children: new Map() };
  let fullNodes = 1;
  for (const s of stacks) {
    if (!(s.value > 0)) continue;
    let k = catIndex.get(s.category);
    if (k === undefined) {
      k = catIndex.size;
      catIndex.set(s.category, k);
      catTotals.push(0);
    }
    catTotals[k]! += s.value;
    let node = root;
    root.total += s.value;
    for (const name of s.frames) {
      let child = node.children.get(name);
      if (!child) {
        child = { name, self: 0, total: 0, k, children: new Map() };
        node.children.set(name, child);
        fullNodes++;
      }
      child.total += s.value;
      node = child;
    }
    node.self += s.value;
  }

  // The smallest total a drawn node may have: the maxNodes-th largest total.
  let cut = 0;
  if (fullNodes > maxNodes) {
    const totals: number[] = [];
    const walk = (n: Full): void => {
      totals.push(n.total);
      for (const c of n.children.values()) walk(c);
    };
    walk(root);
    totals.sort((a, b) => b - a);
    cut = totals[Math.max(0, maxNodes - 1)]!;
  }
  let drawn = 0;
  let foldedValue = 0;
  const convert = (n: Full): FlameNode => {
    drawn++;
    const out: FlameNode = { name: n.name, value: n.self, k: n.k, children: [] };
    let otherValue = 0;
    let otherFrames = 0;
    let otherK = n.k;
    for (const c of [...n.children.values()].sort((a, b) => b.total - a.total)) {
      if (c.total > cut || (c.total === cut && drawn < maxNodes)) out.children.push(convert(c));
      else {
        otherValue += c.total;
        otherFrames += countNodes(c);
        otherK = c.k;
      }
    }
    if (otherValue > 0) {
      drawn++;
      foldedValue += otherValue;
      out.children.push({ name: `[${otherFrames} smaller frames]`, value: otherValue, k: otherK, folded: otherFrames, children: [] });
    }
    return out;
  };
  const tree = convert(root);
  const categories = [...catIndex.keys()].map((name, i) => ({ name, total: catTotals[i]! }));
  return { root: tree, categories, total: root.total, fullNodes, drawnNodes: drawn, foldedValue };
}

function countNodes(n: Full): number {
  let c = 1;
  for (const ch of n.children.values()) c += countNodes(ch);
  return c;
}
