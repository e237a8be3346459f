/**
 * Every page the assistant links to, in one table. The pages are built by other modules; when a
 * route moves, change it here and nothing else.
 */
import type { DeepLink } from '../../../typings/assistant';

export const PAGE_ROUTES = {
  home: '/pages/index/index',
  assistant: '/pages/assistant/index',
  quickQuery: '/pages/assistant/quick-query/index',
  transfer: '/pages/transfer/index',
  topup: '/pages/topup/index',
  withdraw: '/pages/withdraw/index',
  history: '/pages/history/index',
  historyEntry: '/pages/history/detail/index',
  cards: '/pages/cards/index',
  addCard: '/pages/cards/add/index',
  security: '/pages/security/index',
  // The security centre holds the real-name form and the pay password settings.
  realName: '/pages/security/index',
  payPassword: '/pages/security/index',
  // the branches subpackage (miniprogram/packageBranches); detail takes `id`, booking `branchId`
  branches: '/packageBranches/pages/nearby/index',
  branchDetail: '/packageBranches/pages/detail/index',
  booking: '/packageBranches/pages/book/index',
  appointments: '/packageBranches/pages/appointments/index',
  receiveCode: '/pages/qrcode/receive/index',
  messages: '/pages/messages/index',
} as const;

export type PageKey = keyof typeof PAGE_ROUTES;

export function isPageKey(value: string): value is PageKey {
  return Object.prototype.hasOwnProperty.call(PAGE_ROUTES, value);
}

/** A route with its query; undefined parameters are left out. */
export function pageUrl(page: PageKey, params: Record<string, string | number | undefined> = {}): string {
  const query = Object.entries(params)
    .filter((pair): pair is [string, string | number] => pair[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
    .join('&');
  return query ? `${PAGE_ROUTES[page]}?${query}` : PAGE_ROUTES[page];
}

export function link(label: string, page: PageKey, params?: Record<string, string | number | undefined>): DeepLink {
  return { label, url: pageUrl(page, params) };
}
