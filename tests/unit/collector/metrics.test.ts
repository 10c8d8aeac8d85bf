// The Prometheus text rendering: HELP/TYPE lines, labels escaped, cumulative histogram buckets.
import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from '../../../collector/metrics.ts';

describe('MetricsRegistry', () => {
  it('renders counters with labels and zero-valued counters', () => {
    const r = new MetricsRegistry();
    const c = r.counter('x_total', 'Things.');
    r.counter('y_total', 'Nothing yet.');
    c.inc({ reason: 'a"b' }, 2);
    c.inc({ reason: 'a"b' });
    const text = r.render();
    expect(text).toContain('# TYPE x_total counter\nx_total{reason="a\\"b"} 3');
    expect(text).toContain('y_total 0');
  });

  it('renders histograms with cumulative buckets, sum and count', () => {
    const r = new MetricsRegistry();
    const h = r.histogram('lat_seconds', 'Latency.', [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const text = r.render();
    expect(text).toContain('lat_seconds_bucket{le="0.1"} 1');
    expect(text).toContain('lat_seconds_bucket{le="1"} 2');
    expect(text).toContain('lat_seconds_bucket{le="+Inf"} 3');
    expect(text).toContain('lat_seconds_sum 5.55');
    expect(text).toContain('lat_seconds_count 3');
  });

  it('reads gauges at scrape time', () => {
    const r = new MetricsRegistry();
    let v = 1;
    r.gauge('g', 'A gauge.', () => v);
    v = 7;
    expect(r.render()).toContain('\ng 7');
  });
});
