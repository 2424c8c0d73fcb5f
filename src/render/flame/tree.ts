/**
 * Weighted stacks → the tree d3-flame-graph draws ({name, value, children},
 * values as self time), pruned to a node budget: frames too small to see are
 * folded into one "other" node per parent, which says how much it holds.
 *
 * Stacks come from the input, so their depth is the input's to choose: every
 * walk here is a loop with its own stack (never recursion), and a stack deeper
 * than the page can draw ends in one marker frame that says how many frames it
 * stands for (the tree says how many stacks were cut, for a warning).
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
  /** Stacks deeper than MAX_DRAWN_DEPTH, cut with a marker frame. */
  readonly cutStacks: number;
}

/**
 * Frames drawn below the root. Go records at most 128 frames a stack (plus
 * inlined ones) and perf 127 by default: deeper is a recursion gone wrong or a
 * crafted input. The page walks its tree recursively (d3-flame-graph's search,
 * zoom and clear) and draws a row per level, so it holds about this many.
 */
export const MAX_DRAWN_DEPTH = 1024;

/** The frame that ends a stack cut at MAX_DRAWN_DEPTH. */
export const cutMarker = (deeper: number): string => `[${deeper.toLocaleString('en-US')} deeper frames not drawn]`;

/** The warning for a tree with cut stacks, or none. */
export function flameTreeWarnings(t: FlameTree): string[] {
  if (t.cutStacks === 0) return [];
  return [`${t.cutStacks.toLocaleString('en-US')} stack(s) deeper than ${MAX_DRAWN_DEPTH.toLocaleString('en-US')} frames: the flame graph draws their first ${MAX_DRAWN_DEPTH - 1} frames from the root and a marker frame for the rest`];
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
  let cutStacks = 0;
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
    const cut = s.frames.length > MAX_DRAWN_DEPTH;
    if (cut) cutStacks++;
    const depth = cut ? MAX_DRAWN_DEPTH - 1 : s.frames.length;
    for (let d = 0; d <= depth; d++) {
      if (d === depth && !cut) break;
      const name = d < depth ? s.frames[d]! : cutMarker(s.frames.length - depth);
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
    for (const n of allNodes(root)) totals.push(n.total);
    totals.sort((a, b) => b - a);
    cut = totals[Math.max(0, maxNodes - 1)]!;
  }
  let drawn = 0;
  let foldedValue = 0;
  /** A node being converted: its children by total, the next one to look at, and what goes to its "other" node. */
  interface Open {
    readonly out: FlameNode;
    readonly children: Full[];
    next: number;
    otherValue: number;
    otherFrames: number;
    otherK: number;
  }
  const open = (n: Full): Open => {
    drawn++;
    const children = [...n.children.values()].sort((a, b) => b.total - a.total);
    return { out: { name: n.name, value: n.self, k: n.k, children: [] }, children, next: 0, otherValue: 0, otherFrames: 0, otherK: n.k };
  };
  // Depth first, children in order, as a recursive walk would go: "drawn" decides ties at the cut.
  const top = open(root);
  const path: Open[] = [top];
  while (path.length > 0) {
    const at = path[path.length - 1]!;
    if (at.next < at.children.length) {
      const c = at.children[at.next++]!;
      if (c.total > cut || (c.total === cut && drawn < maxNodes)) {
        const child = open(c);
        at.out.children.push(child.out);
        path.push(child);
      } else {
        at.otherValue += c.total;
        at.otherFrames += countNodes(c);
        at.otherK = c.k;
      }
      continue;
    }
    if (at.otherValue > 0) {
      drawn++;
      foldedValue += at.otherValue;
      at.out.children.push({ name: `[${at.otherFrames} smaller frames]`, value: at.otherValue, k: at.otherK, folded: at.otherFrames, children: [] });
    }
    path.pop();
  }
  const categories = [...catIndex.keys()].map((name, i) => ({ name, total: catTotals[i]! }));
  return { root: top.out, categories, total: root.total, fullNodes, drawnNodes: drawn, foldedValue, cutStacks };
}

/** Every node of a subtree, without recursion. */
function* allNodes(n: Full): Generator<Full> {
  const todo: Full[] = [n];
  for (let x = todo.pop(); x !== undefined; x = todo.pop()) {
    yield x;
    for (const c of x.children.values()) todo.push(c);
  }
}

function countNodes(n: Full): number {
  let c = 0;
  for (const _ of allNodes(n)) c++;
  return c;
}
