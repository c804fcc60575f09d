/**
 * Errors the API turns into clean JSON (`{ error, message, issues? }`) with a status code. Anything
 * else becomes a 500 with a generic message: stack traces and internals stay in the server log.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { SpecError } from '../kinds/campaign-spec.js';
import { QueryRefusedError } from '../db/read-only-query.js';
import { ExportError } from '../db/export.js';

export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const notFound = (what: string, id: string): ApiError => new ApiError(404, 'not_found', `no ${what} with id '${id}'`);

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) {
      return reply.status(err.statusCode).send({ error: err.code, message: err.message, ...(err.issues ? { issues: err.issues } : {}) });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const where = (err as FastifyError & { validationContext?: string }).validationContext ?? 'request';
      const issues = err.validation.map((v) => ({
        path: `${where}${v.instancePath ? v.instancePath.replace(/\//g, '.') : ''}`,
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).send({ error: 'bad_request', message: issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues });
    }
    if (err instanceof SpecError) return reply.status(400).send({ error: 'invalid_spec', message: err.message, issues: err.issues });
    if (err instanceof QueryRefusedError) return reply.status(400).send({ error: 'query_refused', message: err.message });
    if (err instanceof ExportError) return reply.status(400).send({ error: 'bad_request', message: err.message });
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status < 500) {
      // Fastify's own client errors (body too large, bad JSON, unsupported media type): their messages are safe.
      return reply.status(status).send({ error: err.code ?? 'bad_request', message: err.message });
    }
    req.log.error({ err }, 'request failed');
    return reply.status(500).send({ error: 'internal', message: 'internal error (details are in the server log)' });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
}
