// The item page's timeline in words, as Temporal's event history reads: who did what, when in the
// organisation's local time, how the state changed, the municipality's words where the event has
// some (until thinned), and the ledger link and raw payload one click away in a disclosure.
import type { EventWords } from '../../db/items/event-words.ts';
import type { ChainedEvent } from '../../db/ledger/ledger.ts';
import type { Policy } from '../../machines/policy/policy.schema.ts';
import { actionText, actorLabel, shownPayload, stateChangeText } from './event-words.ts';
import { localMoment } from './format.ts';

export function Timeline(props: { events: ChainedEvent[]; words: ReadonlyMap<number, EventWords>; policy: Policy }) {
  return (
    <ol class="timeline">
      {props.events.map((e) => {
        const words = props.words.get(e.seq);
        return (
          <li data-seq={String(e.seq)} data-type={e.type}>
            <p class="what">
              <strong>{actorLabel(e.actor)}</strong> {actionText(e.type, e.payload)}
            </p>
            <p class="when">
              <time datetime={e.at}>{localMoment(e.at, props.policy)}</time> · <span class="change">{stateChangeText(e.from, e.to)}</span>
            </p>
            {words?.text ? <blockquote class="said"><p class="text">{words.text}</p></blockquote> : null}
            {words?.note ? <p class="note">Note: <span class="text">{words.note}</span></p> : null}
            {words?.erased ? <p class="badge warn">Its text was erased by thinning.</p> : null}
            <details class="raw">
              <summary>{`#${e.seq} ${e.type} · hash ${e.hash.slice(0, 10)}…`}</summary>
              <dl>
                <dt>Hash</dt><dd><code>{e.hash}</code></dd>
                <dt>Previous hash</dt><dd><code>{e.prevHash}</code></dd>
                <dt>Machine</dt><dd>{e.machine}</dd>
                <dt>Instant (UTC)</dt><dd>{e.at}</dd>
                <dt>Payload</dt><dd><pre>{JSON.stringify(shownPayload(e.type, e.payload), null, 2)}</pre></dd>
              </dl>
            </details>
          </li>
        );
      })}
    </ol>
  );
}

/** Beside the content: the replies, messages and notes the municipality recorded, newest last. */
export function SaidOnItem(props: { events: ChainedEvent[]; words: ReadonlyMap<number, EventWords>; policy: Policy }) {
  const said = props.events.filter((e) => {
    const words = props.words.get(e.seq);
    return words && (words.text || words.note || words.erased);
  });
  if (said.length === 0) return null;
  return (
    <div id="said">
      <h3>What the municipality said</h3>
      <ul>
        {said.map((e) => {
          const words = props.words.get(e.seq)!;
          return (
            <li data-seq={String(e.seq)}>
              <strong>{actionText(e.type, e.payload)}</strong> · <time datetime={e.at}>{localMoment(e.at, props.policy)}</time>
              {words.text ? <blockquote class="said"><p class="text">{words.text}</p></blockquote> : null}
              {words.note ? <p class="note">Note: <span class="text">{words.note}</span></p> : null}
              {words.erased ? <p class="badge warn">Erased by thinning.</p> : null}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
