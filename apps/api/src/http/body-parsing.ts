import { DEFAULT_PAYLOAD_BYTES, inspectPayload } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/** The largest JSON body any route accepts (DESIGN: bodies over 64 KiB get 413). */
export const BODY_LIMIT_BYTES = DEFAULT_PAYLOAD_BYTES;

/**
 * Our own JSON parser (Nest's is turned off at create) so that a body that is too large or not
 * JSON gets the same error envelope as everything else, instead of Express's HTML page.
 */
export function useJsonBodyParsing(app: INestApplication): void {
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    // Depth and prototype keys, shared with sockets (@gmdesk/dto); the parser bounded the size.
    const found = inspectPayload(request.body);
    if (found?.kind !== 'invalid') {
      next();
      return;
    }
    const { problem } = found;
    response.status(400).json({
      error: {
        code: 'validation_failed',
        message: `Invalid request: ${problem.field} ${problem.problem}`,
        details: [problem],
      },
    });
  });
  app.use((error: unknown, _request: Request, response: Response, next: NextFunction) => {
    const { type } = (error ?? {}) as { type?: string };
    if (type === 'entity.too.large') {
      response.status(413).json({
        error: {
          code: 'payload_too_large',
          message: `The request body is larger than ${BODY_LIMIT_BYTES / 1024} KiB.`,
          details: { limitBytes: BODY_LIMIT_BYTES },
        },
      });
      return;
    }
    if (type === 'entity.parse.failed') {
      response.status(400).json({
        error: {
          code: 'malformed_json',
          message: 'The request body is not valid JSON.',
          details: null,
        },
      });
      return;
    }
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') {
      response.status(415).json({
        error: {
          code: 'unsupported_media_type',
          message: 'Unsupported body encoding.',
          details: null,
        },
      });
      return;
    }
    next(error);
  });
}
