/** The wallet's page routes, in one place, and the tap handler that opens one. */
export const ROUTES = {
  home: '/pages/index/index',
  topup: '/pages/topup/index',
  withdraw: '/pages/withdraw/index',
  transfer: '/pages/transfer/index',
  result: '/pages/result/index',
  history: '/pages/history/index',
  historyEntry: '/pages/history/detail/index',
  cards: '/pages/cards/index',
  addCard: '/pages/cards/add/index',
  security: '/pages/security/index',
  receiveCode: '/pages/qrcode/receive/index',
  messages: '/pages/messages/index',
  branches: '/packageBranches/pages/nearby/index',
  assistant: '/pages/assistant/index',
  devSettings: '/pages/dev-settings/index',
} as const;

/** A tap handler that opens `url` on top of the current page. */
export const navigate = (url: string) => () => void wx.navigateTo({ url });
