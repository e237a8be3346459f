/** How the branch pages word distances, queues and errors. */
import type { QueueView } from '../../../typings/branches';
import { ServiceError } from '../../services/transport';

/** `850 m`, `1.2 km`, `12 km`. */
export function formatDistance(metres: number | null): string {
  if (metres === null) return '';
  if (metres < 1000) return `${metres} m`;
  return metres < 10_000 ? `${(metres / 1000).toFixed(1)} km` : `${Math.round(metres / 1000)} km`;
}

/** `排队 12 人 · 约 24 分钟`, or why there is no number. */
export function formatQueue(queue: QueueView | null, openNow: boolean): string {
  if (!openNow) return '休息中';
  if (!queue) return '暂无排队信息';
  if (queue.waiting === 0) return '无需排队';
  return `排队 ${queue.waiting} 人 · 约 ${queue.estimatedWaitMinutes} 分钟`;
}

/** The server's own message when there is one (it is written for users). */
export function errorText(error: unknown, fallback: string): string {
  return error instanceof ServiceError ? error.message : fallback;
}

/** The `data-*` of the tapped element. */
export interface DatasetEvent<T> {
  currentTarget: { dataset: T };
}

/**
 * A page's main load: `loading` on and the old error cleared, `work` run, the error's message in
 * `errorMessage` if it fails, `loading` off. `quiet` keeps the loading state off (a refresh of a
 * page already showing data).
 */
export async function loadWithState(
  page: { setData(data: { loading?: boolean; errorMessage?: string }): void },
  work: () => Promise<void>,
  fallback: string,
  quiet = false,
): Promise<void> {
  page.setData({ loading: !quiet, errorMessage: '' });
  try {
    await work();
  } catch (error) {
    page.setData({ errorMessage: errorText(error, fallback) });
  } finally {
    page.setData({ loading: false });
  }
}
