import { CHAT_BATCH_BYTES, DEFAULT_PAYLOAD_BYTES, inspectPayload } from '@gmdesk/dto';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/** The largest JSON body any route accepts (DESIGN: bodies over 64 KiB get 413). */
export const BODY_LIMIT_BYTES = DEFAULT_PAYLOAD_BYTES;

/**
 * Our own JSON parser (Nest's is turned off at create) so that a body that is too large or not
 * JSON gets the same error envelope as everything else, instead of Express's HTML page.
 */
/** Routes whose bodies may be larger: a chat batch of 5,000 lines. */
const LARGER_BODIES: Readonly<Record<string, number>> = { '/chat/batches': CHAT_BATCH_BYTES };

function bodyLimitOf(request: Request): number {
  return (
    (Object.hasOwn(LARGER_BODIES, request.path) && LARGER_BODIES[request.path]) || BODY_LIMIT_BYTES
  );
}

export function useJsonBodyParsing(app: INestApplication): void {
  for (const [path, limit] of Object.entries(LARGER_BODIES)) {
    // Parsed here, the body is left alone by the general parser below (body-parser skips it).
    app.use(path, express.json({ limit, strict: true }));
  }
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
  app.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    const { type } = (error ?? {}) as { type?: string };
    if (type === 'entity.too.large') {
      const limitBytes = bodyLimitOf(request);
      response.status(413).json({
        error: {
          code: 'payload_too_large',
          message: `The request body is larger than ${Math.floor(limitBytes / 1024)} KiB.`,
          details: { limitBytes },
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
