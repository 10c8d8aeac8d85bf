// serializeEvent must be byte-identical to JSON.stringify, including when a value needs escaping.
import { describe, expect, it } from 'vitest';
import type { EventInput } from '../../../contracts/events.ts';
import { generateCompany } from '../../../simulations/generate-company.ts';
import { serializeEvent } from '../../../simulations/serialize-event.ts';

describe('serializeEvent', () => {
  it('equals JSON.stringify for every event of a simulated fortnight', () => {
    for (const e of generateCompany({ scenario: 'default', seed: 2, org: 'acme', days: 14 }).events()) {
      expect(serializeEvent(e)).toBe(JSON.stringify(e));
    }
  });

  it('escapes what JSON must escape', () => {
    const e = { id: '00000000-0000-4000-8000-000000000001', type: 'approval.requested', time: '2026-01-05T09:00:00+08:00', org: 'acme', actor: 'a"b', object: 'x\\y', channel: 'workflow', source: 'api', attrs: { kind: 'other', amount: 1.5 } } as EventInput;
    expect(serializeEvent(e)).toBe(JSON.stringify(e));
  });
});
