// A statechart as a picture: walks a machine's state nodes at runtime (the parallel regions, their
// states, and each transition's event and target) and has elkjs lay each region out with its
// layered algorithm. ELK places edge labels as nodes of their own, so no label sits on a state box
// or on another label, and routes edges orthogonally around the boxes. Pure data; item-statechart.tsx
// draws it as inline SVG. Nothing here is hand-copied from a machine, so the picture of each item
// version follows that version's definition.
import ELK, { type ElkExtendedEdge, type ElkNode } from 'elkjs/lib/elk.bundled.js';
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
  /** The SVG path of the routed edge, in chart coordinates. */
  d: string;
  /** The label's box (top-left corner and size), in chart coordinates. */
  label: { x: number; y: number; w: number; h: number };
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

/** Text metrics of the drawing (system-ui at these sizes), generous so that text fits its box. */
export const chartFont = { stateSize: 13, labelSize: 10, lineH: 13, stateChar: 7.6, labelChar: 6.1, boldLabelChar: 6.9 };
const headerH = 28;
const topH = 40;
const regionGap = 16;

function eventsOf(node: AnyStateNode): Array<{ event: string; targets: string[] }> {
  const out: Array<{ event: string; targets: string[] }> = [];
  for (const [event, transitions] of node.transitions) {
    for (const t of transitions) out.push({ event, targets: (t.target ?? []).map((s: AnyStateNode) => s.key) });
  }
  return out;
}

interface RegionGraph {
  key: string;
  states: Array<Omit<ChartState, 'x' | 'y'>>;
  arcs: Array<{ from: string; to: string; events: string[] }>;
}

function regionGraph(region: AnyStateNode): RegionGraph {
  const children = Object.values(region.states) as AnyStateNode[];
  const initialKeys = new Set(((region.initial?.target ?? []) as AnyStateNode[]).map((s) => s.key));
  const arcsByPair = new Map<string, { from: string; to: string; events: string[] }>();
  const states: RegionGraph['states'] = [];
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
    const widest = Math.max(child.key.length * chartFont.stateChar + 70, ...internal.map((e) => (e.length + 2) * chartFont.boldLabelChar + 28));
    const h = 28 + chartFont.lineH * internal.length;
    states.push({ path: `${region.key}.${child.key}`, key: child.key, w: Math.ceil(widest), h, initial: initialKeys.has(child.key), internal });
  }
  return { key: region.key, states, arcs: [...arcsByPair.values()] };
}

/** A label has one line per event, so it is narrow and tall rather than one long line. */
function labelSize(events: string[]) {
  return { width: Math.ceil(Math.max(...events.map((e) => e.length)) * chartFont.boldLabelChar + 6), height: events.length * 12 + 4 };
}

const elk = new ELK();

const layoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.edgeRouting': 'ORTHOGONAL',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.edgeLabels.sideSelection': 'ALWAYS_DOWN',
  'elk.spacing.nodeNode': '24',
  'elk.spacing.edgeNode': '14',
  'elk.spacing.edgeEdge': '10',
  'elk.spacing.edgeLabel': '4',
  'elk.layered.spacing.nodeNodeBetweenLayers': '30',
  'elk.layered.spacing.edgeNodeBetweenLayers': '14',
  'elk.layered.spacing.edgeEdgeBetweenLayers': '10',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
};

async function layoutRegion(graph: RegionGraph, x0: number, y0: number): Promise<ChartRegion> {
  const input: ElkNode = {
    id: graph.key,
    layoutOptions,
    children: graph.states.map((s) => ({ id: s.key, width: s.w, height: s.h })),
    edges: graph.arcs.map((arc, i): ElkExtendedEdge => ({
      id: `e${i}`, sources: [arc.from], targets: [arc.to],
      labels: [{ id: `l${i}`, text: arc.events.join('\n'), ...labelSize(arc.events) }],
    })),
  };
  const out = await elk.layout(input);
  const ox = x0;
  const oy = y0 + headerH;
  const placed = new Map((out.children ?? []).map((n) => [n.id, n]));
  const states: ChartState[] = graph.states.map((s) => {
    const n = placed.get(s.key)!;
    return { ...s, x: ox + (n.x ?? 0), y: oy + (n.y ?? 0) };
  });
  const arcs: ChartArc[] = graph.arcs.map((arc, i) => {
    const edge = (out.edges ?? []).find((e) => e.id === `e${i}`)!;
    const d = (edge.sections ?? [])
      .map((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint].map((p, j) => `${j === 0 ? 'M' : 'L'}${round(ox + p.x)},${round(oy + p.y)}`).join(' '))
      .join(' ');
    const l = edge.labels?.[0] ?? {};
    return { ...arc, d, label: { x: ox + (l.x ?? 0), y: oy + (l.y ?? 0), w: l.width ?? 0, h: l.height ?? 0 } };
  });
  return { key: graph.key, x: x0, y: y0, w: Math.ceil(out.width ?? 0), h: Math.ceil((out.height ?? 0) + headerH), states, arcs };
}

const round = (n: number) => Math.round(n * 10) / 10;

async function buildModel(machine: AnyStateMachine): Promise<ChartModel> {
  const root = machine.root as AnyStateNode;
  const anywhere = [...new Set(eventsOf(root).map((e) => e.event))];
  const regions: ChartRegion[] = [];
  let x = 8;
  for (const region of Object.values(root.states) as AnyStateNode[]) {
    const laidOut = await layoutRegion(regionGraph(region), x, topH);
    regions.push(laidOut);
    x += laidOut.w + regionGap;
  }
  const height = Math.max(...regions.map((r) => r.y + r.h)) + 8;
  for (const r of regions) r.h = height - 8 - r.y;
  return { id: machine.id, width: Math.ceil(x - regionGap + 8), height: Math.ceil(height), anywhere, regions };
}

const charts = new WeakMap<AnyStateMachine, Promise<ChartModel>>();

/**
 * The chart of a machine, laid out once per machine (each item version is a machine of its own):
 * a definition does not change while the process runs, and ELK takes milliseconds a region.
 */
export function chartOf(machine: AnyStateMachine): Promise<ChartModel> {
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
