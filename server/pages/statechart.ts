// A statechart as a picture: walks a machine's state nodes at runtime (the parallel regions, their
// states, and each transition's event and target) and lays them out as boxes and arcs. Pure data;
// item-statechart.tsx draws it as inline SVG. Nothing here is hand-copied from a machine, so the
// picture of each item version follows that version's definition.
import type { AnyStateMachine, AnyStateNode } from 'xstate';

export interface ChartState {
  /** "region.state", e.g. "handling.received". */
  path: string;
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  initial: boolean;
  /** Events handled without leaving the state (no target, or the state itself). */
  internal: string[];
}

export interface ChartArc {
  from: string;
  to: string;
  events: string[];
  d: string;
  labelX: number;
  labelY: number;
}

export interface ChartRegion {
  key: string;
  x: number;
  y: number;
  w: number;
  h: number;
  states: ChartState[];
  arcs: ChartArc[];
}

export interface ChartModel {
  id: string;
  width: number;
  height: number;
  /** Events the whole machine takes in any state (the root's own transitions). */
  anywhere: string[];
  regions: ChartRegion[];
}

const stateW = 170;
const lineH = 13;
const gap = 34;
const pad = 16;
const arcStep = 20;
const labelRoom = 96;
const headerH = 28;
const topH = 40;

function eventsOf(node: AnyStateNode): Array<{ event: string; targets: string[] }> {
  const out: Array<{ event: string; targets: string[] }> = [];
  for (const [event, transitions] of node.transitions) {
    for (const t of transitions) out.push({ event, targets: (t.target ?? []).map((s: AnyStateNode) => s.key) });
  }
  return out;
}

function layoutRegion(region: AnyStateNode, x0: number, y0: number): ChartRegion {
  const children = Object.values(region.states) as AnyStateNode[];
  const initialKeys = new Set(((region.initial?.target ?? []) as AnyStateNode[]).map((s) => s.key));
  const arcsByPair = new Map<string, { from: string; to: string; events: string[] }>();
  const states: ChartState[] = [];
  let y = y0 + headerH + pad;
  for (const child of children) {
    const internal: string[] = [];
    for (const { event, targets } of eventsOf(child)) {
      if (targets.length === 0 || targets.every((t) => t === child.key)) {
        if (!internal.includes(event)) internal.push(event);
        continue;
      }
      for (const target of targets) {
        if (target === child.key) continue;
        const pair = `${child.key}→${target}`;
        const arc = arcsByPair.get(pair) ?? { from: child.key, to: target, events: [] };
        if (!arc.events.includes(event)) arc.events.push(event);
        arcsByPair.set(pair, arc);
      }
    }
    const h = 28 + lineH * internal.length;
    states.push({ path: `${region.key}.${child.key}`, key: child.key, x: x0 + pad, y, w: stateW, h, initial: initialKeys.has(child.key), internal });
    y += h + gap;
  }
  const byKey = new Map(states.map((s) => [s.key, s]));
  const order = new Map(states.map((s, i) => [s.key, i]));
  // Shorter arcs inside, longer ones outside, so they cross as little as possible.
  const pairs = [...arcsByPair.values()].sort(
    (a, b) => Math.abs(order.get(a.from)! - order.get(a.to)!) - Math.abs(order.get(b.from)! - order.get(b.to)!),
  );
  const arcs: ChartArc[] = pairs.map((pair, i) => {
    const from = byKey.get(pair.from)!;
    const to = byKey.get(pair.to)!;
    const right = from.x + from.w;
    const y1 = from.y + Math.min(from.h / 2, 14) + (to.y > from.y ? 4 : -4);
    const y2 = to.y + Math.min(to.h / 2, 14) + (to.y > from.y ? -4 : 4);
    const off = 26 + arcStep * i;
    const d = `M${right},${y1} C${right + off},${y1} ${right + off},${y2} ${right + 2},${y2}`;
    return { ...pair, d, labelX: right + off * 0.75 + 3, labelY: (y1 + y2) / 2 + 4 };
  });
  const w = pad + stateW + 26 + arcStep * Math.max(0, arcs.length - 1) + labelRoom;
  return { key: region.key, x: x0, y: y0, w, h: y - gap + pad - y0, states, arcs };
}

function buildModel(machine: AnyStateMachine): ChartModel {
  const root = machine.root as AnyStateNode;
  const anywhere = [...new Set(eventsOf(root).map((e) => e.event))];
  const regions: ChartRegion[] = [];
  let x = 8;
  for (const region of Object.values(root.states) as AnyStateNode[]) {
    const laidOut = layoutRegion(region, x, topH);
    regions.push(laidOut);
    x += laidOut.w + 12;
  }
  const height = Math.max(...regions.map((r) => r.y + r.h)) + 8;
  for (const r of regions) r.h = height - 8 - r.y;
  return { id: machine.id, width: x - 4, height, anywhere, regions };
}

const charts = new WeakMap<AnyStateMachine, ChartModel>();

/** The chart of a machine, built once per machine: a definition does not change while the process runs. */
export function chartOf(machine: AnyStateMachine): ChartModel {
  let chart = charts.get(machine);
  if (!chart) charts.set(machine, (chart = buildModel(machine)));
  return chart;
}

/** The "region.state" paths a snapshot value stands in, e.g. {handling:'received'} → handling.received. */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix ? `${prefix}.${value}` : value];
  if (value && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => activePaths(inner, prefix ? `${prefix}.${key}` : key));
  }
  return [];
}
