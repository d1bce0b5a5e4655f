// An account event completed where the client may leave a value out, and checked against the
// instant it is recorded at (the machine cannot read the clock). Pure.
import { localDate } from './policy/calendar.ts';
import type { Policy } from './policy/policy.schema.ts';
import type { Invalid, MachineEvent } from './registry.ts';

export function completeAccountEvent(event: MachineEvent, facts: { policy: Policy; at: string }): { ok: true; event: MachineEvent } | Invalid {
  const now = new Date(facts.at);
  if (event.type === 'MONITORED') {
    // AV-6, TI-2: the day watched is the organisation's local date, today unless the client names one.
    const today = localDate(facts.policy, now);
    const day = (event.day as string | undefined) || today;
    if (day > today) return { ok: false, code: 'invalid', detail: `The day ${day} has not begun in ${facts.policy.timeZone}.` };
    return { ok: true, event: { ...event, day } };
  }
  if (event.type === 'SNAPSHOT' && typeof event.takenAt === 'string') {
    const takenAt = new Date(event.takenAt);
    if (takenAt > now) return { ok: false, code: 'invalid', detail: 'takenAt is in the future.' };
    return { ok: true, event: { ...event, takenAt: takenAt.toISOString() } };
  }
  return { ok: true, event };
}
