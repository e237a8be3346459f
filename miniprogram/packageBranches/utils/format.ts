/** How the branch pages word distances and queues. */
import type { QueueView } from '../../../typings/branches';

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
