/**
 * The balanced search tree behind `RangeSet`: an AA tree (Andersson, "Balanced search trees
 * made simple", 1993) of ranges keyed by their start. Its height stays below 2 log2(n + 1)
 * whatever the order of insertions, so every lookup, insertion and deletion is O(log n).
 * It is deterministic: no random priorities an adversary could learn and play against.
 *
 * Invariants (the AA rules): a leaf has level 1; a left child is one level below its parent;
 * a right child is at its parent's level or one below; a right grandchild is always below its
 * grandparent; every node above level 1 has two children.
 *
 * @module
 */

/** One range in the tree. `start` is the key; `end` may be changed in place at any time. */
export interface Node {
  start: number;
  end: number;
  level: number;
  left: Node | null;
  right: Node | null;
}

/**
 * Ranges ordered by start. The caller keeps them disjoint; the tree only orders them.
 * A node's `start` may be changed in place only when it stays between its neighbours'.
 */
export class RangeTree {
  #root: Node | null = null;
  #size = 0;
  /** The highest node, cached for the append-at-the-top case; null when not known. */
  #max: Node | null = null;

  /** Number of nodes. */
  get size(): number {
    return this.#size;
  }

  /** The node with the lowest start, or null. */
  min(): Node | null {
    let node = this.#root;
    while (node?.left) node = node.left;
    return node;
  }

  /** The node with the highest start, or null. O(1) when unchanged since the last call. */
  max(): Node | null {
    if (this.#max !== null) return this.#max;
    let node = this.#root;
    while (node?.right) node = node.right;
    this.#max = node;
    return node;
  }

  /** The node with the greatest start at or below `value`, or null. */
  floor(value: number): Node | null {
    const top = this.max();
    if (top !== null && top.start <= value) return top;
    let best: Node | null = null;
    for (let node = this.#root; node !== null;) {
      if (node.start <= value) {
        best = node;
        node = node.right;
      } else {
        node = node.left;
      }
    }
    return best;
  }

  /** The node with the smallest start at or above `value`, or null. */
  ceiling(value: number): Node | null {
    let best: Node | null = null;
    for (let node = this.#root; node !== null;) {
      if (node.start >= value) {
        best = node;
        node = node.left;
      } else {
        node = node.right;
      }
    }
    return best;
  }

  /** The node with the smallest start strictly above `value`, or null. */
  above(value: number): Node | null {
    let best: Node | null = null;
    for (let node = this.#root; node !== null;) {
      if (node.start > value) {
        best = node;
        node = node.left;
      } else {
        node = node.right;
      }
    }
    return best;
  }

  /** Adds a node for `[start, end)`; no node may have the same start. */
  insert(start: number, end: number): void {
    const node: Node = { start, end, level: 1, left: null, right: null };
    this.#root = insertNode(this.#root, node);
    this.#size++;
    if (this.#max !== null && start > this.#max.start) this.#max = node;
  }

  /**
   * Deletes the node starting at `start`. A node with children takes over its successor's
   * range and the successor's node is unlinked instead, so a node starting below `start`
   * is never moved or unlinked: callers may hold on to one across the call.
   */
  delete(start: number): void {
    const before = this.#size;
    this.#root = deleteNode(this.#root, start, () => this.#size--);
    if (this.#size !== before) this.#max = null;
  }

  /** Nodes with a start at or above `from`, ascending. Do not change the tree meanwhile. */
  *ascending(from: number): Generator<Node> {
    const stack: Node[] = [];
    for (let node = this.#root; node !== null;) {
      if (node.start >= from) {
        stack.push(node);
        node = node.left;
      } else {
        node = node.right;
      }
    }
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      yield node;
      for (let next = node.right; next !== null; next = next.left) stack.push(next);
    }
  }

  /** Every node, descending. Do not change the tree meanwhile. */
  *descending(): Generator<Node> {
    const stack: Node[] = [];
    for (let node = this.#root; node !== null; node = node.right) stack.push(node);
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      yield node;
      for (let next = node.left; next !== null; next = next.right) stack.push(next);
    }
  }
}

function level(node: Node | null): number {
  return node === null ? 0 : node.level;
}

/** Turns a left child at its parent's level into the parent (a right rotation). */
function skew(node: Node): Node {
  const left = node.left;
  if (left === null || left.level !== node.level) return node;
  node.left = left.right;
  left.right = node;
  return left;
}

/** Lifts the middle of two right children at one level (a left rotation). */
function split(node: Node): Node {
  const right = node.right;
  if (right === null || right.right === null || right.right.level !== node.level) return node;
  node.right = right.left;
  right.left = node;
  right.level++;
  return right;
}

function insertNode(root: Node | null, node: Node): Node {
  if (root === null) return node;
  if (node.start < root.start) root.left = insertNode(root.left, node);
  else root.right = insertNode(root.right, node);
  return split(skew(root));
}

function deleteNode(root: Node | null, start: number, onDeleted: () => void): Node | null {
  if (root === null) return null;
  if (start < root.start) {
    root.left = deleteNode(root.left, start, onDeleted);
  } else if (start > root.start) {
    root.right = deleteNode(root.right, start, onDeleted);
  } else if (root.right === null) {
    onDeleted();
    return root.left; // a node without a right child is a leaf: this is null
  } else {
    let successor = root.right;
    while (successor.left !== null) successor = successor.left;
    root.start = successor.start;
    root.end = successor.end;
    root.right = deleteNode(root.right, successor.start, onDeleted);
  }
  return rebalance(root);
}

/** Restores the AA rules at `node` after a deletion below it. */
function rebalance(node: Node): Node {
  const should = Math.min(level(node.left), level(node.right)) + 1;
  if (should < node.level) {
    node.level = should;
    if (node.right !== null && should < node.right.level) node.right.level = should;
  }
  node = skew(node);
  if (node.right !== null) {
    node.right = skew(node.right);
    if (node.right.right !== null) node.right.right = skew(node.right.right);
  }
  node = split(node);
  if (node.right !== null) node.right = split(node.right);
  return node;
}
