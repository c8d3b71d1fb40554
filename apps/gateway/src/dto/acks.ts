import type { FiledReport } from '@gmdesk/core';

/** The ack of `report.create`, the same on /player and /game. */
export function reportFiledAck(filed: FiledReport) {
  return {
    ok: true,
    outcome: filed.outcome,
    report: {
      id: filed.report.id,
      status: filed.report.status,
      createdAt: filed.report.createdAt.toISOString(),
    },
  } as const;
}
