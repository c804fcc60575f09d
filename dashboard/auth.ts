/**
 * Bearer-token check for mutating endpoints (launch, cancel, pause, resume, retry). The token is
 * `PLUME_API_TOKEN`; without one configured every mutation is refused. Comparison is constant-time
 * over SHA-256 digests, so neither the content nor the length of the token leaks through timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.js';

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

export function tokenMatches(expected: string, given: string): boolean {
  return timingSafeEqual(digest(expected), digest(given));
}

export function requireToken(token: string | null) {
  return async (req: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    if (!token)
      throw new ApiError(
        401,
        'unauthorized',
        'mutations are disabled: start the dashboard with PLUME_API_TOKEN set, then send it as "Authorization: Bearer <token>"',
      );
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    const given = m ? m[1].trim() : String(req.headers['x-plume-token'] ?? '');
    if (!given) throw new ApiError(401, 'unauthorized', 'missing token: send "Authorization: Bearer <PLUME_API_TOKEN>"');
    if (!tokenMatches(token, given)) throw new ApiError(401, 'unauthorized', 'wrong token');
  };
}
