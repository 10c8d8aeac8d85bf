// The OpenAPI 3.1 document of the read API, generated from the metric catalogue so the two cannot drift.
import { APPROVAL_KINDS } from '../../contracts/events.ts';
import { ROLLOUT_SECTION_IDS, rolloutSectionJsonSchemas } from '../../contracts/rollout.ts';
import { METRICS } from './catalogue.ts';
import { GROUPINGS, STATS, UNITS } from './metric-spec.ts';

export function buildOpenApiDocument(serverUrl = '/'): Record<string, unknown> {
  const error = { $ref: '#/components/responses/Error' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Waypoint read API',
      version: '1',
      description:
        'Metrics computed by Waypoint’s jobs, for BI tools and the dashboard. Authenticate with a read token (`waypoint keys create --scope read`); the organisation is the token’s. Durations are seconds, rates fractions 0–1. Groups of fewer than k people (WAYPOINT_K_ANONYMITY, default 5) are returned with value null and suppressed: true.',
    },
    servers: [{ url: serverUrl }],
    security: [{ readToken: [] }],
    paths: {
      '/api/v1/metrics/{id}': {
        get: {
          operationId: 'getMetric',
          summary: 'One metric over a date range, grouped by period or department',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string', enum: METRICS.map((m) => m.id) } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'date' }, description: 'First local day (default: 29 days before `to`).' },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'date' }, description: 'Last local day, inclusive (default: today in the organisation’s timezone).' },
            { name: 'groupBy', in: 'query', schema: { type: 'string', enum: [...GROUPINGS], default: 'day' }, description: 'Not every metric supports every grouping; see x-metrics.' },
            { name: 'department', in: 'query', schema: { type: 'string' }, description: 'Only this department (id).' },
            { name: 'kind', in: 'query', schema: { type: 'string', enum: [...APPROVAL_KINDS] }, description: 'Approval metrics only: this kind.' },
            { name: 'stat', in: 'query', schema: { type: 'string', enum: [...STATS], default: 'p50' }, description: 'Percentile metrics only.' },
            { name: 'org', in: 'query', schema: { type: 'string' }, description: 'Optional check: must equal the token’s organisation (403 otherwise).' },
          ],
          responses: {
            '200': {
              description: 'The metric',
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/MetricResponse' } },
                'text/csv': { schema: { type: 'string' }, example: 'period,value,n\r\n2024-05-01,0.82,40\r\n' },
              },
            },
            '400': error,
            '401': error,
            '403': error,
            '404': error,
          },
        },
      },
      // The rollout job's stored results (docs/api.md "Rollout API"); section bodies from contracts/rollout.ts.
      '/api/v1/rollout/{section}': {
        get: {
          operationId: 'getRolloutSection',
          summary: 'One section of the rollout job’s stored results (or `status`: what is computed, when, and whether it predates the settings)',
          parameters: [
            { name: 'section', in: 'path', required: true, schema: { type: 'string', enum: ['status', ...ROLLOUT_SECTION_IDS] } },
            { name: 'department', in: 'query', schema: { type: 'string' }, description: 'Only rows of this department (id).' },
            { name: 'table', in: 'query', schema: { type: 'string' }, description: 'CSV only: which of the section’s tables (default: its first; a wrong name is a 400 listing them).' },
            { name: 'org', in: 'query', schema: { type: 'string' }, description: 'Optional check: must equal the caller’s organisation (403 otherwise).' },
          ],
          responses: {
            '200': {
              description: 'The section as last computed: `data` is the section body (x-rollout-sections), with rows of fewer than k people suppressed',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      section: { type: 'string' },
                      computedAt: { type: 'string', description: 'UTC, YYYY-MM-DD hh:mm:ss' },
                      settingsVersion: { type: 'string', description: 'Settings versions used, e.g. rollout=2;kpis=1;roi=0' },
                      currentSettingsVersion: { type: 'string' },
                      stale: { type: 'boolean', description: 'true when the settings changed after the computation' },
                      range: { type: 'object', properties: { from: { type: 'string', format: 'date' }, to: { type: 'string', format: 'date' } } },
                      data: { type: 'object' },
                    },
                  },
                },
                'text/csv': { schema: { type: 'string' } },
              },
            },
            '400': error,
            '401': error,
            '403': error,
            '404': error,
            '409': error,
          },
        },
      },
      '/api/v1/openapi.json': { get: { operationId: 'getOpenApi', security: [], responses: { '200': { description: 'This document' } } } },
    },
    components: {
      securitySchemes: { readToken: { type: 'http', scheme: 'bearer', description: 'A read key: wp_read_<id>_<secret>' } },
      responses: {
        Error: {
          description: 'What was wrong',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['error', 'message'],
                properties: { error: { type: 'string', enum: ['invalid_query', 'unauthorized', 'forbidden', 'wrong_org', 'unknown_metric', 'unknown_section', 'not_acceptable', 'not_computed'] }, message: { type: 'string' } },
              },
            },
          },
        },
      },
      schemas: {
        MetricResponse: {
          type: 'object',
          required: ['metric', 'unit', 'definition', 'points'],
          properties: {
            metric: { type: 'string' },
            unit: { type: 'string', enum: [...UNITS] },
            definition: { type: 'string' },
            stat: { type: 'string', enum: [...STATS] },
            groupBy: { type: 'string', enum: [...GROUPINGS] },
            from: { type: 'string', format: 'date' },
            to: { type: 'string', format: 'date' },
            source: { type: 'string', enum: ['rollup', 'events'], description: 'events: computed from raw events because the rollup does not cover the range yet.' },
            points: { type: 'array', items: { $ref: '#/components/schemas/Point' } },
          },
        },
        Point: {
          type: 'object',
          required: ['value', 'n'],
          properties: {
            period: { type: 'string', description: 'Day, Monday of the week, or first day of the month.' },
            department: { type: 'string', description: '"" = people not in the directory.' },
            counterpart: { type: 'string', description: 'dept_interactions: the original sender’s department.' },
            kind: { type: 'string' },
            stage: { type: 'string', enum: ['invited', 'activated', 'weekly_active', 'habitual'] },
            value: { type: ['number', 'null'] },
            n: { type: ['integer', 'null'], description: 'Observations behind the value.' },
            suppressed: { type: 'boolean', const: true },
          },
        },
      },
    },
    'x-rollout-sections': rolloutSectionJsonSchemas(),
    'x-metrics': METRICS.map((m) => ({ id: m.id, unit: m.unit, definition: m.definition, groupBy: m.groupings, percentile: m.percentile, kAnonymity: m.peopleLevel })),
  };
}
