import type { DeliverySummary, MissedDelivery } from '../mattermost/delivery.js';
import type { AuditReport } from '../summary/summary-schema.js';
import { type PostReadBackOptions, readBackPosts } from './audit-posts.js';

// The post-run audits: (a) nothing the server acknowledged was lost — every acknowledged post is
// read back through a healthy node; (b) every member that was online got every post of its
// channels, live, by replay or by refetch — the delivery tracker's final count.

/** How many lost posts and missed deliveries the report lists. */
const LISTED = 20;

export interface AuditInput {
  /** Post ids the server acknowledged during the run (the load outcome's acknowledgedPosts). */
  acknowledgedPosts: readonly string[];
  /** The load outcome's delivery and missed deliveries. */
  delivery: DeliverySummary;
  missed: readonly MissedDelivery[];
  readBack: PostReadBackOptions;
}

export async function auditRun(input: AuditInput): Promise<AuditReport> {
  const readBack = await readBackPosts(input.acknowledgedPosts, input.readBack);
  if (readBack.unverified.length > 0)
    input.readBack.log?.(
      `audit: ${readBack.unverified.length} acknowledged post(s) could not be read back from any node`,
    );
  return auditReport(readBack, input.delivery, input.missed);
}

/** The report from a read-back and the delivery tracker's figures (pure; auditRun's second half). */
export function auditReport(
  readBack: { checked: number; lost: readonly string[]; unverified: readonly string[] },
  delivery: DeliverySummary,
  missed: readonly MissedDelivery[],
): AuditReport {
  const deliveries = deliveryAudit(delivery, missed);
  const problems: string[] = [];
  if (readBack.lost.length > 0)
    problems.push(`${readBack.lost.length} of ${readBack.checked} acknowledged post(s) lost`);
  if (readBack.unverified.length > 0)
    problems.push(`${readBack.unverified.length} acknowledged post(s) could not be read back from any node`);
  if (deliveries.missedDeliveries > 0)
    problems.push(
      `${deliveries.missedDeliveries} of ${deliveries.expectedDeliveries} delivery(ies) to online members missed`,
    );
  return {
    acknowledgedPosts: readBack.checked,
    lostPosts: readBack.lost.length,
    lostPostIds: readBack.lost.slice(0, LISTED),
    unverifiedPosts: readBack.unverified.length,
    ...deliveries,
    ok: problems.length === 0,
    reason:
      problems.length > 0
        ? problems.join('; ')
        : `all ${readBack.checked} acknowledged post(s) read back; all ${deliveries.expectedDeliveries} delivery(ies) made`,
  };
}

/** Deliveries owed to online members (made by any path, or missed) and the misses. */
export function deliveryAudit(
  delivery: DeliverySummary,
  missed: readonly MissedDelivery[],
): Pick<AuditReport, 'expectedDeliveries' | 'missedDeliveries' | 'missed'> {
  const made = delivery.byPath.live + delivery.byPath.replayed + delivery.byPath.refetched;
  const missedDeliveries = Math.max(delivery.undelivered, missed.length);
  return {
    expectedDeliveries: made + missedDeliveries,
    missedDeliveries,
    missed: missed
      .slice(0, LISTED)
      .map((m) => ({ postId: m.postId, channelId: m.channelId, senderVu: m.senderVu, memberVu: m.memberVu })),
  };
}

/** `otherFailures` lines for the summary: one per failed audit. */
export function auditFailures(report: AuditReport): string[] {
  const lines: string[] = [];
  if (report.lostPosts > 0)
    lines.push(
      `audit: ${report.lostPosts} acknowledged post(s) lost (first: ${report.lostPostIds.slice(0, 3).join(', ')})`,
    );
  if (report.unverifiedPosts > 0)
    lines.push(`audit: ${report.unverifiedPosts} acknowledged post(s) could not be read back from any node`);
  if (report.missedDeliveries > 0)
    lines.push(
      `audit: ${report.missedDeliveries} of ${report.expectedDeliveries} delivery(ies) to online members missed`,
    );
  return lines;
}
