import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shape of the code (../shared/ARCHITECTURE.md): features depend on each other in one direction
 * only. ESLint (scripts/eslint-boundaries.js) keeps each import going through the other feature's
 * index.ts; this test keeps the graph of features free of cycles.
 */
const FEATURES = path.resolve('src/features');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

function featureGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const feature of fs.readdirSync(FEATURES)) {
    const uses = new Set<string>();
    for (const file of sourceFiles(path.join(FEATURES, feature))) {
      for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
        const target = path.relative(FEATURES, path.resolve(path.dirname(file), match[1]!)).split(path.sep);
        if (target[0] && target[0] !== '..' && target[0] !== feature) uses.add(target[0]);
      }
    }
    graph.set(feature, uses);
  }
  return graph;
}

function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'visiting') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'visiting');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

describe('the shape of the code', () => {
  it('has no import cycle between features', () => {
    const graph = featureGraph();
    expect(graph.get('people')?.size ?? 0).toBe(0); // people is the ground floor: pupils, carers, links
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one (the check itself works)', () => {
    const graph = new Map([
      ['people', new Set(['messages'])],
      ['messages', new Set(['people'])],
    ]);
    expect(findCycle(graph)).toEqual(['people', 'messages', 'people']);
  });
});
