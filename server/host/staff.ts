/**
 * The staff console on the local host: `/staff/<action>` for every action of the `staff` function,
 * served by the same `main` the cloud deploys (server/functions/staff.ts) — each request is handed
 * over as the HTTP access service's event, so the schemas, the token check and its throttling are
 * the cloud's. Without a configured token the routes answer FAILED_PRECONDITION.
 *
 *   GET  /staff/conversations                            → waiting and served conversations, longest waiting first
 *   GET  /staff/transcript?conversationId=…[&beforeSeq=] → a page of one transcript
 *   POST /staff/reply  { conversationId, text }          → the reply, now in the user's chat
 *   POST /staff/close  { conversationId }                → ends the handoff
 */
import { randomUUID } from 'node:crypto';
import { createStaffMain, STAFF_ROUTES } from '../functions/staff';
import type { AppDeps } from '../runtime/deps';
import { httpAccessEvent, type HttpMethod } from '../runtime/http-access';
import type { HostRoute } from './http';

/** The host listens on loopback only: every caller is this machine. */
const LOOPBACK = '127.0.0.1';

export function staffRoutes(deps: AppDeps, staffToken: string | undefined): HostRoute[] {
  const main = createStaffMain(
    () => deps,
    () => staffToken,
  );
  return Object.entries(STAFF_ROUTES).map(([action, method]: [string, HttpMethod]) => {
    const path = `/staff/${action}`;
    return {
      method,
      path,
      async handle({ query, body, headers }) {
        const event = httpAccessEvent({
          method,
          path,
          headers,
          query: Object.fromEntries(query),
          body,
          sourceIp: LOOPBACK,
        });
        // No openid in the context: what the gateway passes.
        const response = await main(event, { request_id: randomUUID(), environment: '{}' });
        return JSON.parse(response.body) as unknown;
      },
    };
  });
}
