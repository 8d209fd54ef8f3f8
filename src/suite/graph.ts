import type { PathProblem } from './ajv-errors.js';
import type { RawCheck } from './raw.js';
import { suggestion } from './suggest.js';
import type { ValuePath } from './yaml.js';

/** Most checks named when describing one cycle. */
const MAX_CYCLE_SHOWN = 12;

/** One dependency edge and where it is written (a `needs:` entry or a `${checks...}` reference). */
interface Edge {
  /** Index of the check the edge points to. */
  to: number;
  /** Where the dependency is declared. */
  path: ValuePath;
}

/**
 * Duplicate ids, `needs` naming unknown checks, and dependency cycles (through `needs` and
 * through capture references). `lineOf` names the line of the first of two duplicates.
 */
export function checkGraph(checks: readonly RawCheck[], implicitNeeds: Map<number, Map<string, ValuePath>>, lineOf: (path: ValuePath) => number): PathProblem[] {
  const problems: PathProblem[] = [];
  const indexOf = new Map<string, number>();
  checks.forEach((check, index) => {
    const first = indexOf.get(check.id);
    if (first === undefined) indexOf.set(check.id, index);
    else {
      problems.push({
        path: ['checks', index, 'id'],
        message: `duplicate check id "${check.id}"`,
        hint: `first defined on line ${lineOf(['checks', first, 'id'])}; ids must be unique`,
      });
    }
  });
  const ids = [...indexOf.keys()];
  const edges: Edge[][] = checks.map(() => []);
  checks.forEach((check, index) => {
    (check.needs ?? []).forEach((need, position) => {
      const path: ValuePath = ['checks', index, 'needs', position];
      const target = indexOf.get(need);
      if (target === undefined) {
        problems.push({ path, message: `check "${check.id}" needs "${need}", which is not a check of this suite`, hint: suggestion(need, ids, 'check ids') });
      } else edges[index]?.push({ to: target, path });
    });
    for (const [id, path] of implicitNeeds.get(index) ?? []) {
      const target = indexOf.get(id);
      if (target !== undefined && !(check.needs ?? []).includes(id)) edges[index]?.push({ to: target, path });
    }
  });
  for (const cycle of findCycles(edges)) {
    const ids = cycle.map((step) => checks[step.from]?.id ?? '?');
    // A cycle through thousands of checks is named by its ends, not listed in full.
    const names = ids.length > MAX_CYCLE_SHOWN ? [...ids.slice(0, MAX_CYCLE_SHOWN - 1), `... (${ids.length - MAX_CYCLE_SHOWN} more)`, ids[ids.length - 1] ?? '?'] : [...ids];
    names.push(ids[0] ?? '?');
    const first = cycle[0];
    if (!first) continue;
    problems.push({
      path: first.path,
      message: `checks depend on each other in a cycle: ${names.join(' -> ')}`,
      hint: 'remove one of these needs (or capture references) so the checks can run in order',
    });
  }
  return problems;
}

/** One step of a cycle: from a check, along the edge declared at `path`. */
interface Step {
  /** Check index. */
  from: number;
  /** Where the edge to the next check is declared. */
  path: ValuePath;
}

/**
 * One cycle per strongly connected component (iterative Tarjan: a chain of thousands of checks
 * must not become thousands of stack frames), each starting at its earliest check in the file.
 */
function findCycles(edges: Edge[][]): Step[][] {
  const count = edges.length;
  const index = new Array<number>(count).fill(-1);
  const low = new Array<number>(count).fill(0);
  const onStack = new Array<boolean>(count).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let next = 0;
  for (let root = 0; root < count; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: number; edge: number };
      const out = edges[frame.node] ?? [];
      if (frame.edge < out.length) {
        const to = (out[frame.edge++] as Edge).to;
        if (index[to] === -1) {
          index[to] = low[to] = next++;
          stack.push(to);
          onStack[to] = true;
          work.push({ node: to, edge: 0 });
        } else if (onStack[to]) low[frame.node] = Math.min(low[frame.node] ?? 0, index[to] ?? 0);
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent.node] = Math.min(low[parent.node] ?? 0, low[frame.node] ?? 0);
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        let member: number | undefined;
        do {
          member = stack.pop() as number;
          onStack[member] = false;
          component.push(member);
        } while (member !== frame.node);
        const selfLoop = (edges[frame.node] ?? []).some((edge) => edge.to === frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => cycleWithin(edges, new Set(component))).sort((a, b) => (a[0]?.from ?? 0) - (b[0]?.from ?? 0));
}

/** A shortest cycle through the component's earliest check (breadth-first back to it). */
function cycleWithin(edges: Edge[][], members: Set<number>): Step[] {
  const start = [...members].reduce((a, b) => Math.min(a, b));
  const cameFrom = new Map<number, Step>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as number;
    for (const edge of edges[node] ?? []) {
      if (!members.has(edge.to)) continue;
      if (edge.to === start) {
        const steps: Step[] = [{ from: node, path: edge.path }];
        for (let at = node; at !== start; ) {
          const step = cameFrom.get(at) as Step;
          steps.unshift(step);
          at = step.from;
        }
        return steps;
      }
      if (!cameFrom.has(edge.to) && edge.to !== start) {
        cameFrom.set(edge.to, { from: node, path: edge.path });
        queue.push(edge.to);
      }
    }
  }
  return [];
}
