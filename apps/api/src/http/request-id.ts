import { runInRequestContext } from '@gmdesk/core';
import type { INestApplication } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';

/** The same rule as the logger's `genReqId` in RuntimeModule: keep the two in step. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * Gives every response an `X-Request-Id`, echoing a valid incoming one. It runs first, because
 * the body parser and the OpenAPI routes answer before Nest's logger middleware ever sees the
 * request. The id is written back into the request headers so that the logger's `genReqId`
 * adopts it and the log line carries the id the client got.
 */
export function useRequestIds(app: INestApplication): void {
  app.use((request: Request, response: Response, next: NextFunction) => {
    const header = request.headers['x-request-id'];
    const id = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    request.headers['x-request-id'] = id;
    response.setHeader('X-Request-Id', id);
    next();
  });
}

/**
 * Enters the request context (audit entries record the id) for everything after the body is
 * parsed. Not in useRequestIds: the body parser calls `next` from the request stream's `end`
 * event, whose async context is the socket's, so a context entered before it would be lost.
 */
export function useRequestContext(app: INestApplication): void {
  app.use((request: Request, _response: Response, next: NextFunction) => {
    runInRequestContext(String(request.headers['x-request-id']), next);
  });
}
