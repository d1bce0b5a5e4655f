// The statechart model of statechart.ts drawn as inline SVG, with the states an item stands in
// filled in a distinct colour. Every label is text hono/jsx escapes; no script, no external file.
import { activePaths, type ChartModel } from './statechart.ts';

const currentFill = '#ffd54f';
const otherFill = '#f4f6f8';

/** `name` heads the picture, e.g. the machine version an item steps under; the machine's id by default. */
export function Statechart(props: { state: unknown; title: string; model: ChartModel; name?: string }) {
  const { model } = props;
  const active = new Set(activePaths(props.state));
  const markerId = `arrow-${props.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      class="statechart"
      viewBox={`0 0 ${model.width} ${model.height}`}
      width={model.width}
      role="img"
      aria-label={`${props.title}: ${[...active].join(', ')}`}
      font-family="system-ui,sans-serif"
    >
      <title>{`${props.title}: ${[...active].join(', ')}`}</title>
      <defs>
        <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L10,5 L0,10 z" fill="#333" />
        </marker>
      </defs>
      <text x="8" y="16" font-size="13" font-weight="bold">{`${props.name ?? model.id} (parallel)`}</text>
      <text x="8" y="32" font-size="11" fill="#444">{`in any state: ${model.anywhere.join(' · ')}`}</text>
      {model.regions.map((region) => (
        <g data-region={region.key}>
          <rect x={region.x} y={region.y} width={region.w} height={region.h} rx="8" fill="none" stroke="#12355b" stroke-dasharray="6 4" />
          <text x={region.x + 10} y={region.y + 19} font-size="13" font-weight="bold" fill="#12355b">{region.key}</text>
          {region.arcs.map((arc) => (
            <g data-from={`${region.key}.${arc.from}`} data-to={`${region.key}.${arc.to}`}>
              <path d={arc.d} fill="none" stroke="#333" stroke-width="1.3" marker-end={`url(#${markerId})`} />
              <text x={arc.labelX} y={arc.labelY} font-size="10" stroke="#fff" stroke-width="3" paint-order="stroke" fill="#111">
                {arc.events.join(' / ')}
              </text>
            </g>
          ))}
          {region.states.map((state) => {
            const current = active.has(state.path);
            return (
              <g data-state={state.path} data-current={current ? 'true' : 'false'}>
                {state.initial ? (
                  <>
                    <circle cx={state.x - 8} cy={state.y - 12} r="4" fill="#333" />
                    <path d={`M${state.x - 8},${state.y - 8} L${state.x - 2},${state.y - 1}`} stroke="#333" marker-end={`url(#${markerId})`} />
                  </>
                ) : null}
                <rect
                  class={current ? 'state current' : 'state'}
                  x={state.x}
                  y={state.y}
                  width={state.w}
                  height={state.h}
                  rx="10"
                  fill={current ? currentFill : otherFill}
                  stroke={current ? '#b07d00' : '#667'}
                  stroke-width={current ? '3' : '1'}
                />
                <text x={state.x + 10} y={state.y + 18} font-size="13" font-weight={current ? 'bold' : 'normal'}>
                  {current ? `${state.key} ◀ now` : state.key}
                </text>
                {state.internal.map((event, i) => (
                  <text x={state.x + 14} y={state.y + 32 + i * 13} font-size="10" fill="#444">{`↻ ${event}`}</text>
                ))}
              </g>
            );
          })}
        </g>
      ))}
    </svg>
  );
}
