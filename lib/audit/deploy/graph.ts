/**
 * Ordering of deploy units (stages) by "needs": `needs.get(a)` holds the units that must be deployed
 * before `a`. Units keep the order in which they are given wherever the graph leaves a choice.
 */
export type Needs = ReadonlyMap<string, ReadonlySet<string>>;

/**
 * Strongly connected components with more than one unit (Tarjan): each is a set of units that all
 * wait on each other, so no order deploys them. Units in input order inside each component.
 */
export function cycles(units: readonly string[], needs: Needs): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  const visit = (unit: string): void => {
    index.set(unit, counter);
    low.set(unit, counter);
    counter++;
    stack.push(unit);
    onStack.add(unit);
    for (const next of needs.get(unit) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(unit, Math.min(low.get(unit)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(unit, Math.min(low.get(unit)!, index.get(next)!));
      }
    }
    if (low.get(unit) === index.get(unit)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== unit);
      if (component.length > 1) components.push(units.filter((u) => component.includes(u)));
    }
  };
  for (const unit of units) if (!index.has(unit)) visit(unit);
  return components;
}

/**
 * Deploy levels of an acyclic graph restricted to `units`: level 1 needs nothing among them, level n
 * needs something of level n-1. Units of one level do not need each other. Needs outside `units` are
 * taken as already deployed.
 */
export function levels(units: readonly string[], needs: Needs): string[][] {
  const inside = new Set(units);
  const level = new Map<string, number>();
  const levelOf = (unit: string, path: Set<string>): number => {
    const known = level.get(unit);
    if (known !== undefined) return known;
    if (path.has(unit)) throw new Error(`levels() needs an acyclic graph; ${unit} is on a cycle`);
    path.add(unit);
    let deepest = 0;
    for (const before of needs.get(unit) ?? []) {
      if (inside.has(before)) deepest = Math.max(deepest, levelOf(before, path));
    }
    path.delete(unit);
    level.set(unit, deepest + 1);
    return deepest + 1;
  };
  const result: string[][] = [];
  for (const unit of units) {
    const n = levelOf(unit, new Set());
    while (result.length < n) result.push([]);
    result[n - 1].push(unit);
  }
  return result.filter((wave) => wave.length > 0);
}

/** True when `from` reaches `to` through needs. */
export function reaches(from: string, to: string, needs: Needs): boolean {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    const unit = queue.pop()!;
    for (const next of needs.get(unit) ?? []) {
      if (next === to) return true;
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return false;
}
