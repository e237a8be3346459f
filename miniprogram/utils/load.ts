/** The load / error / retry pattern of a page's main data. */
import { errorMessage } from '../services/transport';

/**
 * A page's main load: `loading` on and the old error cleared, `work` run, the server's message in
 * `errorMessage` if it fails, `loading` off. `quiet` keeps the loading state off (a refresh of a
 * page already showing data, e.g. pull-to-refresh).
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
    page.setData({ errorMessage: errorMessage(error, fallback) });
  } finally {
    page.setData({ loading: false });
  }
}
