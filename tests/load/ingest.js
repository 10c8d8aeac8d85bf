// k6 load test for POST /v1/events. Run with `npm run load` (starts a local stack), or against any
// collector: k6 run -e COLLECTOR_URL=http://127.0.0.1:8787 -e INGEST_KEY=wp_ingest_… -e ORG=acme tests/load/ingest.js
import http from 'k6/http';
import { check } from 'k6';
import crypto from 'k6/crypto';

/** A random version-4 UUID (k6 has no built-in one; the remote jslib is not reachable offline). */
function uuidv4() {
  const b = new Uint8Array(crypto.randomBytes(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const URL = `${__ENV.COLLECTOR_URL || 'http://127.0.0.1:8787'}/v1/events`;
const KEY = __ENV.INGEST_KEY;
const ORG = __ENV.ORG || 'acme';
const BATCH = Number(__ENV.BATCH || 500);

export const options = {
  scenarios: {
    steady: { executor: 'constant-vus', vus: Number(__ENV.VUS || 8), duration: __ENV.DURATION || '20s' },
  },
  thresholds: {
    // Durable acknowledgement stays fast and nothing is refused.
    'http_req_duration{expected_response:true}': ['p(99)<250', 'p(50)<100'],
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
  },
};

const TYPES = ['message.sent', 'message.sent', 'message.read', 'message.read', 'task.completed', 'doc.edited'];
const CHANNEL = { 'message.sent': 'im', 'message.read': 'im', 'task.completed': 'workflow', 'doc.edited': 'doc' };

function event(i) {
  const type = TYPES[i % TYPES.length];
  const time = new Date(Date.now() - (i % 86400) * 1000).toISOString();
  const e = { id: uuidv4(), type, time, org: ORG, actor: `p${i % 2000}`, conversation: `g${i % 300}`, object: `o${i}`, channel: CHANNEL[type], source: 'dingtalk' };
  if (type === 'message.sent') e.attrs = { recipients: 1 + (i % 9) };
  if (type === 'message.read') e.parent = `o${i - 1}`;
  return e;
}

export default function () {
  const events = [];
  for (let i = 0; i < BATCH; i++) events.push(event(__ITER * BATCH + i));
  const res = http.post(URL, JSON.stringify({ events }), {
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
  });
  check(res, {
    '202 accepted': (r) => r.status === 202,
    'all events accepted': (r) => r.status === 202 && r.json('accepted') === BATCH,
  });
}
