// The statechart model of statechart.ts drawn as inline SVG, with the states an item stands in
// filled in a distinct colour and the transitions it may take now drawn bold in the same colour.
// The picture sits in a container that scrolls sideways on a phone, and the steps open now are
// also a plain list below it. Every label is text hono/jsx escapes; no script, no external file.
import { activePaths, chartFont, type ChartModel } from './statechart.ts';

const currentFill = '#ffd54f';
const otherFill = '#f4f6f8';
const nextStroke = '#b07d00';

/**
 * `name` heads the picture, e.g. the machine version an item steps under; the machine's id by default.
 * `allowed`: the events the machine accepts now (from the item's snapshot), highlighted where they lead.
 */
export function Statechart(props: { state: unknown; title: string; model: ChartModel; name?: string; allowed?: readonly string[] }) {
  const { model } = props;
  const active = new Set(activePaths(props.state));
  const allowed = new Set(props.allowed ?? []);
  const markerId = `arrow-${props.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  const next = model.regions.flatMap((region) =>
    region.arcs
      .filter((arc) => active.has(`${region.key}.${arc.from}`))
      .flatMap((arc) => arc.events.filter((e) => allowed.has(e)).map((event) => ({ event, region: region.key, to: arc.to }))));
  const here = model.regions.flatMap((region) =>
    region.states.filter((s) => active.has(s.path)).flatMap((s) => s.internal.filter((e) => allowed.has(e))));
  const anywhere = model.anywhere.filter((e) => allowed.has(e));
  return (
    <div class="statechart-view">
      <div class="chart-scroll" tabindex={0} role="group" aria-label={`${props.title} (scrolls sideways)`}>
        <svg
          xmlns="http://www.w3.org/2000/svg"
          class="statechart"
          viewBox={`0 0 ${model.width} ${model.height}`}
          width={model.width}
          height={model.height}
          role="img"
          aria-label={`${props.title}: ${[...active].join(', ')}`}
          font-family="system-ui,sans-serif"
        >
          <title>{`${props.title}: ${[...active].join(', ')}`}</title>
          <defs>
            <marker id={markerId} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="#333" />
            </marker>
            <marker id={`${markerId}-next`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill={nextStroke} />
            </marker>
          </defs>
          <text x="8" y="16" font-size="13" font-weight="bold">{`${props.name ?? model.id} (parallel)`}</text>
          <text x="8" y="32" font-size="11" fill="#444">{`in any state: ${model.anywhere.join(' · ')}`}</text>
          {model.regions.map((region) => (
            <g data-region={region.key}>
              <rect x={region.x} y={region.y} width={region.w} height={region.h} rx="8" fill="none" stroke="#12355b" stroke-dasharray="6 4" />
              <text x={region.x + 10} y={region.y + 19} font-size="13" font-weight="bold" fill="#12355b">{region.key}</text>
              {region.arcs.map((arc) => {
                const open = active.has(`${region.key}.${arc.from}`) && arc.events.some((e) => allowed.has(e));
                return (
                  <g data-from={`${region.key}.${arc.from}`} data-to={`${region.key}.${arc.to}`} data-next={open ? 'true' : 'false'} class={open ? 'arc next' : 'arc'}>
                    <path
                      d={arc.d} fill="none" stroke={open ? nextStroke : '#555'} stroke-width={open ? '2.5' : '1.2'}
                      marker-end={`url(#${open ? `${markerId}-next` : markerId})`}
                    />
                    <g class="label" data-x={arc.label.x} data-y={arc.label.y} data-w={arc.label.w} data-h={arc.label.h}>
                      {arc.events.map((event, i) => (
                        <text
                          x={arc.label.x + 3} y={arc.label.y + 11 + i * 12} font-size={chartFont.labelSize}
                          fill={open && allowed.has(event) ? nextStroke : '#111'} font-weight={open && allowed.has(event) ? 'bold' : 'normal'}
                        >
                          {event}
                        </text>
                      ))}
                    </g>
                  </g>
                );
              })}
              {region.states.map((state) => {
                const current = active.has(state.path);
                return (
                  <g data-state={state.path} data-current={current ? 'true' : 'false'}>
                    {state.initial ? <circle cx={state.x + 6} cy={state.y + 6} r="3.5" fill="#333"><title>initial state</title></circle> : null}
                    <rect
                      class={current ? 'state current' : 'state'}
                      x={state.x} y={state.y} width={state.w} height={state.h} rx="10"
                      fill={current ? currentFill : otherFill}
                      stroke={current ? nextStroke : '#667'}
                      stroke-width={current ? '3' : '1'}
                    />
                    <text x={state.x + 14} y={state.y + 18} font-size={chartFont.stateSize} font-weight={current ? 'bold' : 'normal'}>
                      {current ? `${state.key} ◀ now` : state.key}
                    </text>
                    {state.internal.map((event, i) => (
                      <text
                        x={state.x + 14} y={state.y + 32 + i * chartFont.lineH} font-size={chartFont.labelSize}
                        fill={current && allowed.has(event) ? nextStroke : '#444'} font-weight={current && allowed.has(event) ? 'bold' : 'normal'}
                      >
                        {`↻ ${event}`}
                      </text>
                    ))}
                  </g>
                );
              })}
            </g>
          ))}
        </svg>
      </div>
      {props.allowed ? (
        <ul class="next-steps" data-chart-list>
          {next.map((n) => <li data-step={n.event}><strong>{n.event}</strong>{` → ${n.region}: ${n.to}`}</li>)}
          {[...new Set([...here, ...anywhere])].map((event) => <li data-step={event}><strong>{event}</strong> (stays in the state)</li>)}
          {next.length + here.length + anywhere.length === 0 ? <li>No event is open in this state.</li> : null}
        </ul>
      ) : null}
    </div>
  );
}
