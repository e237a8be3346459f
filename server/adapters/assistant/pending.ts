/**
 * The assistant's ports for modules not merged yet. The facts behind balance, entries, transfer
 * status and branches belong to modules being built on other branches (ledger, branches). Until
 * they are merged, these adapters answer honestly that the feature is not available yet — never
 * with made-up data. server/functions/assistant.ts replaces each one as its module lands (cards
 * and the pay-password check are wired already).
 */
import { AppError } from '../../domain/errors';
import type { AssistantData, AssistantPorts, VerifyPayPassword } from '../../domain/ports/assistant';

function notYet(feature: string): never {
  throw new AppError('FAILED_PRECONDITION', `${feature}暂未开通，请稍后再试。`);
}

export const pendingAssistantData: AssistantData = {
  balance: async () => notYet('零钱余额查询'),
  recentEntries: async () => notYet('交易明细查询'),
  cards: async () => notYet('银行卡查询'),
  transferStatus: async () => notYet('转账进度查询'),
  nearestBranches: async () => notYet('附近网点查询'),
};

export const pendingVerifyPayPassword: VerifyPayPassword = async () => notYet('支付密码验证');

export const pendingAssistantPorts: AssistantPorts = {
  data: pendingAssistantData,
  verifyPayPassword: pendingVerifyPayPassword,
};
