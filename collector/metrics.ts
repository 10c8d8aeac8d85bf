// A small Prometheus registry (counters, gauges, histograms with labels) rendered in the text
// exposition format 0.0.4 — the collector needs a dozen series, not a client library.

type Labels = Record<string, string>;

function labelKey(labels: Labels | undefined): string {
  if (!labels) return '';
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${String(labels[k]).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`);
  return parts.join(',');
}

function series(name: string, key: string, extra = ''): string {
  const inner = [key, extra].filter(Boolean).join(',');
  return inner ? `${name}{${inner}}` : name;
}

interface Metric {
  render(): string;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

export interface Histogram {
  observe(value: number, labels?: Labels): void;
}

export class MetricsRegistry {
  private readonly metrics: Metric[] = [];

  counter(name: string, help: string): Counter {
    const values = new Map<string, number>();
    this.metrics.push({
      render: () => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} counter`];
        if (values.size === 0) lines.push(`${name} 0`);
        for (const [key, v] of values) lines.push(`${series(name, key)} ${v}`);
        return lines.join('\n');
      },
    });
    return {
      inc(labels, by = 1) {
        const key = labelKey(labels);
        values.set(key, (values.get(key) ?? 0) + by);
      },
      get(labels) {
        return values.get(labelKey(labels)) ?? 0;
      },
    };
  }

  /** A gauge read at scrape time from the component that owns the value. */
  gauge(name: string, help: string, read: () => number): void {
    this.metrics.push({
      render: () => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${read()}`,
    });
  }

  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    const sorted = [...buckets].sort((a, b) => a - b);
    const values = new Map<string, { counts: number[]; sum: number; count: number }>();
    this.metrics.push({
      render: () => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
        for (const [key, h] of values) {
          let cumulative = 0;
          sorted.forEach((le, i) => {
            cumulative += h.counts[i]!;
            lines.push(`${series(`${name}_bucket`, key, `le="${le}"`)} ${cumulative}`);
          });
          lines.push(`${series(`${name}_bucket`, key, 'le="+Inf"')} ${h.count}`);
          lines.push(`${series(`${name}_sum`, key)} ${h.sum}`);
          lines.push(`${series(`${name}_count`, key)} ${h.count}`);
        }
        return lines.join('\n');
      },
    });
    return {
      observe(value, labels) {
        const key = labelKey(labels);
        let h = values.get(key);
        if (!h) {
          h = { counts: sorted.map(() => 0), sum: 0, count: 0 };
          values.set(key, h);
        }
        const i = sorted.findIndex((le) => value <= le);
        if (i >= 0) h.counts[i]! += 1;
        h.sum += value;
        h.count += 1;
      },
    };
  }

  render(): string {
    return this.metrics.map((m) => m.render()).join('\n') + '\n';
  }
}

const SECONDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Every series the collector exports; names and meanings are listed in docs/api.md. */
export function createCollectorMetrics() {
  const registry = new MetricsRegistry();
  return {
    registry,
    eventsAccepted: registry.counter('waypoint_collector_events_accepted_total', 'Events acknowledged (202) after the spool fsync.'),
    eventsRejected: registry.counter('waypoint_collector_events_rejected_total', 'Events refused inside a batch, by reason.'),
    requestsRefused: registry.counter('waypoint_collector_requests_refused_total', 'Requests answered with 4xx/5xx, by status and error code.'),
    requestDuration: registry.histogram('waypoint_collector_request_duration_seconds', 'Request latency by route and status.', SECONDS),
    fsyncDuration: registry.histogram('waypoint_collector_spool_fsync_seconds', 'Time of one group commit (write + fdatasync).', SECONDS),
    fsyncBatches: registry.histogram('waypoint_collector_spool_commit_requests', 'Requests per group commit.', [1, 2, 4, 8, 16, 32, 64, 128]),
    spoolSkippedBytes: registry.counter('waypoint_collector_spool_skipped_bytes_total', 'Torn or corrupt spool bytes skipped on replay.'),
    flushRows: registry.histogram('waypoint_collector_flush_rows', 'Rows per ClickHouse insert.', [100, 1000, 10_000, 50_000, 100_000, 200_000, 500_000]),
    flushDuration: registry.histogram('waypoint_collector_flush_duration_seconds', 'Duration of one ClickHouse insert.', SECONDS),
    eventsFlushed: registry.counter('waypoint_collector_events_flushed_total', 'Rows confirmed by ClickHouse (a replay may count a row twice).'),
    clickhouseErrors: registry.counter('waypoint_collector_clickhouse_errors_total', 'Failed ClickHouse inserts and pings, by operation.'),
  };
}

export type CollectorMetrics = ReturnType<typeof createCollectorMetrics>;
