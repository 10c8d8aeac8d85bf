// The metric catalogue: every metric the read API serves, by stable id. docs/metrics.md is its prose.
import { activeRate, activeUsers, adoptionFunnel, daysToActivation, stickiness } from './metrics/adoption.ts';
import {
  crossTeamReplyLatency,
  readLatency,
  readUnrepliedRate,
  replyLatency,
  replyRate,
  urgentAckLatency,
  urgentReach15m,
} from './metrics/responsiveness.ts';
import { approvalAutomatedShare, approvalCycle, avgMeetingMinutes, meetingHoursPerPerson, taskCompletionRate, taskCycle } from './metrics/workflow.ts';
import { activityDrop, afterHoursShare, deptInteractions, docCoeditRate, groupActivity, siloIndex, weekendShare } from './metrics/network.ts';
import type { MetricSpec } from './metric-spec.ts';

export const METRICS: readonly MetricSpec[] = [
  activeUsers,
  activeRate,
  stickiness,
  daysToActivation,
  adoptionFunnel,
  replyLatency,
  crossTeamReplyLatency,
  replyRate,
  readLatency,
  readUnrepliedRate,
  urgentAckLatency,
  urgentReach15m,
  approvalCycle,
  approvalAutomatedShare,
  taskCompletionRate,
  taskCycle,
  meetingHoursPerPerson,
  avgMeetingMinutes,
  deptInteractions,
  siloIndex,
  afterHoursShare,
  weekendShare,
  groupActivity,
  docCoeditRate,
  activityDrop,
];

const BY_ID = new Map(METRICS.map((m) => [m.id, m]));

export function findMetric(id: string): MetricSpec | undefined {
  return BY_ID.get(id);
}
