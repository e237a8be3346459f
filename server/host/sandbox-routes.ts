/** Local-host pages onto the sandbox adapters: what a phone or a bank would have received. */
import type { SandboxNotifier } from '../adapters/sandbox/notifier';
import type { AppDeps } from '../runtime/deps';
import { machineSecret, sandboxMachineKey } from './branch-seed';
import { invalid, type HostRoute } from './http';

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** `GET /sandbox/notifications?userId=…` (or `?openid=…`): that user's messages, newest first. */
export function sandboxOutboxRoute(deps: AppDeps, outbox: SandboxNotifier): HostRoute {
  return {
    method: 'GET',
    path: '/sandbox/notifications',
    async handle({ query }) {
      let userId = query.get('userId') ?? '';
      const openid = query.get('openid');
      if (!userId && openid && ID.test(openid)) userId = (await deps.store.get('wxAccounts', openid))?.userId ?? '';
      if (!ID.test(userId)) return invalid('请提供 userId 或 openid');
      return { ok: true, data: { items: await outbox.outbox(userId) } };
    },
  };
}

/**
 * `GET /sandbox/queue-machines?branchId=…`: the secret of a seeded branch's queuing machine, so a
 * developer can post `branches.queueFeed` by hand. Loopback only, like every route of the host.
 */
export function sandboxMachineRoute(deps: AppDeps): HostRoute {
  return {
    method: 'GET',
    path: '/sandbox/queue-machines',
    async handle({ query }) {
      const branchId = query.get('branchId') ?? '';
      const key = ID.test(branchId) ? await sandboxMachineKey(deps) : null;
      if (!key || !(await deps.store.get('queueMachines', branchId))) {
        return { ok: false, error: { code: 'NOT_FOUND', message: '没有这个网点的排队机' } };
      }
      return { ok: true, data: { branchId, secret: machineSecret(key, branchId) } };
    },
  };
}
