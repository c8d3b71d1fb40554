import type { ValidationProblem } from '@gmdesk/contracts';
import type { INestApplication } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';

/** The largest JSON body any route accepts (DESIGN: bodies over 64 KiB get 413). */
export const BODY_LIMIT_BYTES = 64 * 1024;

/** No request DTO nests more than a few levels; 64 KiB of `{"a":` would nest 13,000 deep. */
export const MAX_BODY_DEPTH = 32;

/**
 * Keys that JSON.parse keeps as own properties but class-transformer and object spreads treat
 * as the prototype: the whitelist never sees them, so they are refused here by name.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Checks the shape of a parsed body before any DTO work: too deep a body overflows the stack of
 * the recursive transform and validation (a 500 for bad input), and prototype keys slip past the
 * whitelist. Iterative, so the check cannot overflow itself; the body limit bounds its work.
 */
export function findStructuralProblem(body: unknown): ValidationProblem | null {
  const pending: Array<{ value: unknown; field: string; depth: number }> = [
    { value: body, field: '', depth: 0 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, field, depth } = next;
    if (value === null || typeof value !== 'object') {
      continue;
    }
    if (depth >= MAX_BODY_DEPTH) {
      return { field, problem: `nests deeper than ${MAX_BODY_DEPTH} levels` };
    }
    if (Array.isArray(value)) {
      value.forEach((item: unknown, index) =>
        pending.push({ value: item, field: `${field}[${index}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const [key, item] of Object.entries(value)) {
      const path = field ? `${field}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        return { field: path, problem: `property ${key} should not exist` };
      }
      pending.push({ value: item, field: path, depth: depth + 1 });
    }
  }
  return null;
}

/**
 * Our own JSON parser (Nest's is turned off at create) so that a body that is too large or not
 * JSON gets the same error envelope as everything else, instead of Express's HTML page.
 */
export function useJsonBodyParsing(app: INestApplication): void {
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true }));
  app.use((request: Request, response: Response, next: NextFunction) => {
    const problem = findStructuralProblem(request.body);
    if (!problem) {
      next();
      return;
    }
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
