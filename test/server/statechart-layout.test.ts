// The statechart as ELK lays it out, for every item machine version (the parallel charts a page draws):
// no two state boxes overlap, no edge label overlaps a state box or another label, every edge is
// routed, and the drawn SVG marks the current state and the transitions open now.
import { describe, expect, it } from 'vitest';
import type { AnyStateMachine } from 'xstate';
import { itemMachine } from '../../machines/item.v1.machine.ts';
import { itemV2Machine } from '../../machines/item.v2.machine.ts';
import { Statechart } from '../../server/pages/item-statechart.tsx';
import { chartOf, type ChartModel } from '../../server/pages/statechart.ts';

type Box = { x: number; y: number; w: number; h: number };
const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

const machines: Array<[string, AnyStateMachine]> = [['item@1', itemMachine], ['item@2', itemV2Machine]];

function boxesOf(chart: ChartModel) {
  const states = chart.regions.flatMap((r) => r.states.map((s) => ({ name: s.path, box: s as Box })));
  const labels = chart.regions.flatMap((r) => r.arcs.map((a) => ({ name: `${r.key}.${a.from}→${a.to}`, box: a.label })));
  return { states, labels };
}

describe('the statechart laid out by elkjs', () => {
  for (const [name, machine] of machines) {
    it(`${name}: no two state boxes overlap, and no label overlaps a state box or another label`, async () => {
      const chart = await chartOf(machine);
      const { states, labels } = boxesOf(chart);
      expect(states.length).toBeGreaterThan(3);
      expect(labels.length).toBeGreaterThan(2);
      for (const [i, a] of states.entries()) {
        for (const b of states.slice(i + 1)) expect(overlap(a.box, b.box), `${a.name} / ${b.name}`).toBe(false);
      }
      for (const [i, label] of labels.entries()) {
        expect(label.box.w).toBeGreaterThan(0);
        for (const state of states) expect(overlap(label.box, state.box), `${label.name} on ${state.name}`).toBe(false);
        for (const other of labels.slice(i + 1)) expect(overlap(label.box, other.box), `${label.name} / ${other.name}`).toBe(false);
      }
      // Every edge is routed, and every box lies inside its region and the picture.
      for (const region of chart.regions) {
        for (const arc of region.arcs) expect(arc.d).toMatch(/^M[\d.]+,[\d.]+( L[\d.]+,[\d.]+)+/);
        for (const s of region.states) {
          expect(s.x).toBeGreaterThanOrEqual(region.x);
          expect(s.x + s.w).toBeLessThanOrEqual(region.x + region.w + 0.5);
          expect(s.y + s.h).toBeLessThanOrEqual(chart.height);
        }
      }
    });
  }

  it('is laid out once per machine', async () => {
    expect(await chartOf(itemV2Machine)).toBe(await chartOf(itemV2Machine));
  });

  it('marks the current state and highlights the transitions open from it', async () => {
    const chart = await chartOf(itemV2Machine);
    const region = chart.regions.find((r) => r.arcs.length > 0)!;
    const arc = region.arcs[0]!;
    const state = { [region.key]: arc.from };
    const html = String(Statechart({ state, title: 'Now', model: chart, allowed: [arc.events[0]!] }));
    const current = [...html.matchAll(/data-state="([a-z_.]+)" data-current="true"/g)].map((m) => m[1]);
    expect(current).toEqual([`${region.key}.${arc.from}`]);
    expect(html).toContain(`data-from="${region.key}.${arc.from}" data-to="${region.key}.${arc.to}" data-next="true"`);
    expect([...html.matchAll(/data-next="true"/g)].length).toBe(region.arcs.filter((a) => a.from === arc.from && a.events.includes(arc.events[0]!)).length);
    expect(html).toMatch(new RegExp(`<li data-step="${arc.events[0]}"><strong>${arc.events[0]}</strong> → ${region.key}: ${arc.to}</li>`));
    // Nothing is open where nothing is allowed.
    expect(String(Statechart({ state, title: 'Now', model: chart, allowed: [] }))).not.toContain('data-next="true"');
  });
});
