import { EvidenceService } from '@gmdesk/core';
import { Injectable } from '@nestjs/common';
import { PeriodicJob } from './periodic-job';

/** Takes the chat evidence of reports whose window has closed, every 15 s (SKIP LOCKED: safe with several workers). */
@Injectable()
export class EvidenceCaptureJob extends PeriodicJob {
  constructor(private readonly evidence: EvidenceService) {
    super(15_000);
  }

  protected async work(now: Date): Promise<number> {
    const captured = await this.evidence.captureDue(now);
    if (captured > 0) {
      this.logger.log(`captured the chat evidence of ${captured} reports`);
    }
    return captured;
  }
}
