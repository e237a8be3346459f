/**
 * What the bot says for each intent: text, quick replies (tap = send that text) and deep links
 * (tap = open the page that completes the task). Money never moves from here: transfer, top-up and
 * withdraw answers only link to their pages, prefilled.
 *
 * Balance and entries are gated: they answer only when 免密查询 is valid or the pay password was
 * verified for this very request; otherwise the reply asks the page for the pay-password sheet. Their
 * answers are `private`: the transcript stores a placeholder instead of the figures.
 */
import type { BotReply, DeepLink, GatedIntent, QuickReply, ReplyKind } from '../../../typings/assistant';
import { CONFIG } from '../../config';
import type { DomainDeps } from '../deps';
import { isAppError, type AppError } from '../errors';
import { transferFeeFen, withdrawFee } from '../ledger/fees';
import type { AssistantPorts, EntryFacts } from '../ports/assistant';
import { formatDateTime, formatDistance, formatFen, formatShortTime } from '../format';
import { FACTS, knowledge, type KnowledgeEntry } from './knowledge';
import { link } from './links';
import { quickQueryStatus, quickQueryValid } from './quick-query';
import { shortcodeHelp, usageHint, type ShortcodeArgs } from './shortcodes';
import { FALLBACK_INTENT, type Understanding } from './understand';

export interface AnswerContext {
  deps: DomainDeps;
  ports: AssistantPorts;
  userId: string;
  location?: { latitude: number; longitude: number };
}

export interface BotAnswer {
  /** What the user sees now. */
  text: string;
  /** What the transcript keeps (differs for private answers). */
  storedText: string;
  reply: BotReply;
  /** Set when the answer is to queue the conversation for a person. */
  handoff?: 'question' | 'complaint';
}

export const PRIVATE_PLACEHOLDER: Record<GatedIntent, string> = {
  balance: '〔余额查询结果：为保护隐私，不保存在聊天记录中〕',
  entries: '〔交易明细查询结果：为保护隐私，不保存在聊天记录中〕',
};

const SENSITIVE_NOTICE = '温馨提示：请勿在聊天中发送支付密码、验证码或完整的卡号、证件号，已为您打码保存。';

interface Draft {
  kind?: ReplyKind;
  text: string;
  quickReplies?: QuickReply[];
  links?: DeepLink[];
  unlock?: BotReply['unlock'];
  private?: boolean;
  handoff?: 'question' | 'complaint';
}

function entry(id: string): KnowledgeEntry {
  const found = knowledge().byId.get(id);
  if (!found) throw new Error(`no knowledge entry ${id}`);
  return found;
}

/** A quick reply that asks for an entry: its title as label, its first question as the text sent. */
export function askFor(id: string): QuickReply {
  const target = entry(id);
  return { label: target.title, text: target.questions[0]! };
}

function relatedReplies(id: string): QuickReply[] {
  return entry(id).related.map(askFor);
}

const HANDOFF_REPLY: QuickReply = { label: '转人工', text: '转人工' };

function finish(intent: string, confidence: number, draft: Draft): BotAnswer {
  const reply: BotReply = {
    kind: draft.kind ?? 'answer',
    intent,
    confidence: Math.round(confidence * 100) / 100,
    quickReplies: draft.quickReplies ?? [],
    links: draft.links ?? [],
  };
  if (draft.unlock) reply.unlock = draft.unlock;
  const gated = intent === 'balance' || intent === 'entries' ? intent : null;
  const storedText = draft.private && gated ? PRIVATE_PLACEHOLDER[gated] : draft.text;
  const answer: BotAnswer = { text: draft.text, storedText, reply };
  if (draft.handoff) answer.handoff = draft.handoff;
  return answer;
}

/** A port or check said no: the chat says why, honestly, and where to go instead. */
function unavailable(error: AppError, links: DeepLink[] = []): Draft {
  return { kind: error.code === 'FAILED_PRECONDITION' ? 'unavailable' : 'answer', text: error.message, links };
}

async function guardPort<T>(work: () => Promise<T>, build: (value: T) => Draft, links?: DeepLink[]): Promise<Draft> {
  try {
    return build(await work());
  } catch (error) {
    if (isAppError(error)) return unavailable(error, links);
    throw error;
  }
}

// ---- gated: balance and entries -----------------------------------------------------------------

function passwordPrompt(intent: GatedIntent, count?: number): Draft {
  const what = intent === 'balance' ? '零钱余额' : '交易明细';
  return {
    kind: 'payPassword',
    text: `为保护您的资金信息，查看${what}需要验证支付密码。开通「免密查询」后，有效期内可直接查看。`,
    unlock: count === undefined ? { intent } : { intent, count },
    links: [link('设置免密查询', 'quickQuery')],
  };
}

function entryLine(item: EntryFacts): string {
  const status = { pending: '处理中', posted: '成功', returned: '已退回', failed: '失败' }[item.status];
  const party = item.counterparty ? ` ${item.counterparty}` : '';
  const fee = item.feeFen > 0 ? `（手续费 ${formatFen(item.feeFen)}）` : '';
  return `${formatShortTime(item.createdAt)} ${item.title}${party} ${formatFen(item.amountFen)}${fee} ${status}`;
}

export interface GatedOptions {
  count?: number;
  /** The pay password was verified for this request. */
  passwordVerified: boolean;
  /** History page filter the user named (`YYYY-MM-DD` or `YYYY-MM`). */
  period?: string;
}

export async function answerGated(ctx: AnswerContext, intent: GatedIntent, options: GatedOptions): Promise<Draft> {
  const { assistant } = CONFIG;
  const count = Math.min(options.count ?? assistant.entriesDefaultCount, assistant.entriesMaxCount);
  const allowed = options.passwordVerified || (await quickQueryValid(ctx.deps.store, ctx.userId, ctx.deps.clock.now()));
  if (!allowed) return passwordPrompt(intent, intent === 'entries' ? count : undefined);
  if (intent === 'balance') {
    const links = [link('交易记录', 'history'), link('充值', 'topup'), link('提现', 'withdraw')];
    return guardPort(
      () => ctx.ports.data.balance(ctx.userId),
      (facts) => ({
        text: `您的零钱余额为 ${formatFen(facts.balanceFen)}${facts.pendingFen > 0 ? `，另有 ${formatFen(facts.pendingFen)} 处理中` : ''}。`,
        links,
        private: true,
      }),
      links,
    );
  }
  const historyLink = link('全部交易记录', 'history', { period: options.period });
  return guardPort(
    () => ctx.ports.data.recentEntries(ctx.userId, count),
    (items) => ({
      text:
        items.length === 0
          ? '暂无交易记录。'
          : `最近 ${items.length} 笔交易：\n${items.map(entryLine).join('\n')}${options.period ? '\n按日期查看请打开交易记录。' : ''}`,
      links: [historyLink],
      private: true,
    }),
    [historyLink],
  );
}

// ---- the other intents ----------------------------------------------------------------------

function feeQuote(amountFen: number): string {
  const fee = transferFeeFen(amountFen);
  const over = amountFen > CONFIG.ledger.maxTransferFen ? `\n注意：超过单笔转账限额 ${FACTS.maxTransfer}。` : '';
  return `转账 ${formatFen(amountFen)} 的手续费为 ${formatFen(fee)}，零钱共扣 ${formatFen(amountFen + fee)}。${over}`;
}

/** The fee for a withdrawal depends on the quota left, which only the ledger knows: give both ends. */
function withdrawQuote(amountFen: number): string {
  const withWholeQuota = withdrawFee(amountFen, CONFIG.ledger.withdrawFreeQuotaFen).feeFen;
  const withoutQuota = withdrawFee(amountFen, 0).feeFen;
  return `提现 ${formatFen(amountFen)}：若 ${FACTS.withdrawFreeQuota} 免费额度尚未使用，手续费 ${formatFen(withWholeQuota)}；免费额度用完后，手续费 ${formatFen(withoutQuota)}。剩余额度以提现页面显示为准。`;
}

function feesSummary(): string {
  return [
    `转账到银行卡：金额的 ${FACTS.feeRate}，最低 ${FACTS.minFee}`,
    `提现：每个实名身份终身 ${FACTS.withdrawFreeQuota} 免费额度，超出部分 ${FACTS.feeRate}，最低 ${FACTS.minFee}`,
    '充值：免费',
    '手续费在金额之外另收。发送「FL#金额」可算出转账手续费。',
  ].join('\n');
}

function limitsSummary(): string {
  return [
    `转账到银行卡：单笔 ${FACTS.maxTransfer}，每日累计 ${FACTS.dailyTransfer}`,
    `充值：单笔 ${FACTS.maxTopup}`,
    `提现：单笔 ${FACTS.maxWithdraw}`,
    `绑卡：最多 ${FACTS.maxCards} 张`,
  ].join('\n');
}

function prefillNote(amountFen: number | undefined): string {
  return amountFen === undefined ? '' : `已为您预填金额 ${formatFen(amountFen)}。`;
}

function money(intent: 'transfer' | 'topup' | 'withdraw', amountFen: number | undefined): Draft {
  const params = { amountFen };
  if (intent === 'transfer') {
    return {
      text: `转账需要在转账页面填写收款人和卡号，核对手续费后输入支付密码确认，聊天中不会直接转出资金。${prefillNote(amountFen)}${amountFen ? `\n${feeQuote(amountFen)}` : ''}`,
      links: [link('去转账', 'transfer', params)],
      quickReplies: relatedReplies('transfer'),
    };
  }
  if (intent === 'topup') {
    return {
      text: `充值从您已绑定的银行卡转入零钱，免手续费，需要输入支付密码确认。${prefillNote(amountFen)}`,
      links: [link('去充值', 'topup', params)],
      quickReplies: relatedReplies('topup'),
    };
  }
  return {
    text: `提现到您本人已绑定的银行卡，预计 ${FACTS.withdrawArrival} 内到账。${prefillNote(amountFen)}${amountFen ? `\n${withdrawQuote(amountFen)}` : ''}`,
    links: [link('去提现', 'withdraw', params)],
    quickReplies: relatedReplies('withdraw'),
  };
}

async function cardsAnswer(ctx: AnswerContext): Promise<Draft> {
  const links = [link('管理银行卡', 'cards'), link('添加银行卡', 'addCard')];
  return guardPort(
    () => ctx.ports.data.cards(ctx.userId),
    (cards) => ({
      text:
        cards.length === 0
          ? '您还没有绑定银行卡。'
          : `您已绑定 ${cards.length} 张银行卡：\n${cards
              .map(
                (card) => `${card.bankName} ${card.cardType === 'credit' ? '信用卡' : '储蓄卡'} 尾号${card.lastFour}`,
              )
              .join('\n')}`,
      links,
    }),
    links,
  );
}

async function transferStatusAnswer(ctx: AnswerContext, reference: string | undefined): Promise<Draft> {
  const links = [link('交易记录', 'history')];
  return guardPort(
    () => ctx.ports.data.transferStatus(ctx.userId, reference ?? null),
    (facts) => {
      if (!facts) return { text: reference ? '没有找到这笔转账，请核对交易编号。' : '您还没有转账记录。', links };
      const head = `转账 ${formatFen(facts.amountFen)} 至 ${facts.payee}（${formatDateTime(facts.createdAt)}）`;
      const state =
        facts.status === 'pending'
          ? `处理中${facts.expectedArrivalAt ? `，预计 ${formatDateTime(facts.expectedArrivalAt)} 前到账` : ''}。`
          : facts.status === 'posted'
            ? '已成功到账。'
            : facts.status === 'failed'
              ? `未成功${facts.returnReason ? `（${facts.returnReason}）` : ''}。`
              : `已被银行退回${facts.returnReason ? `（${facts.returnReason}）` : ''}，金额和手续费 ${formatFen(facts.amountFen + facts.feeFen)} 已退回零钱。`;
      return {
        text: `${head}：${state}`,
        links: [link('查看详情', 'historyEntry', { id: facts.reference })],
        quickReplies: facts.status === 'returned' ? [askFor('transfer.returned')] : [],
      };
    },
    links,
  );
}

async function nearestBranchAnswer(ctx: AnswerContext): Promise<Draft> {
  const links = [link('网点地图', 'branches')];
  if (!ctx.location) {
    return {
      kind: 'location',
      text: '查看附近网点需要您的位置。请允许获取位置后重试，或打开网点页面选择城市。',
      links,
    };
  }
  const { latitude, longitude } = ctx.location;
  return guardPort(
    () => ctx.ports.data.nearestBranches(latitude, longitude, CONFIG.assistant.nearestBranchCount),
    (branches) => ({
      text:
        branches.length === 0
          ? '附近暂未找到网点，可以打开网点地图查看其他城市。'
          : `离您最近的网点：\n${branches
              .map(
                (branch, index) =>
                  `${index + 1}. ${branch.name}，${formatDistance(branch.distanceMetres)}，${branch.openNow ? `营业中，排队 ${branch.waitingCount} 人，约 ${branch.estimatedWaitMinutes} 分钟` : '已休息'}\n   ${branch.address}`,
              )
              .join('\n')}`,
      links: [...branches.map((branch) => link(branch.name, 'branchDetail', { id: branch.id })), ...links],
      quickReplies: [askFor('bookVisit')],
    }),
    links,
  );
}

async function quickQueryAnswer(ctx: AnswerContext): Promise<Draft> {
  const status = await quickQueryStatus(ctx.deps, ctx.userId);
  const state = status.enabled
    ? `您已开启免密查询，有效期至 ${formatDateTime(status.expiresAt!)}。`
    : '您尚未开启免密查询。';
  return {
    text: `${state}\n免密查询开启后，在有效期（${QUICK_QUERY_CHOICES}）内查余额和明细无需输入支付密码；可随时关闭。修改支付密码或解绑全部银行卡后会自动关闭。`,
    links: [link(status.enabled ? '管理免密查询' : '开启免密查询', 'quickQuery')],
    quickReplies: [askFor('balance'), askFor('entries')],
  };
}

const QUICK_QUERY_CHOICES = CONFIG.assistant.quickQueryDays.map((days) => `${days} 天`).join('、');

const SMALL_TALK: Record<string, string> = {
  greeting:
    '您好，我是微信银行智能客服。可以帮您查余额、查明细、查银行卡、找附近网点，也能解答手续费、限额、绑卡、支付密码等问题。发送「HELP」查看快捷指令。',
  thanks: '不客气，很高兴能帮到您。还有问题随时问我。',
  goodbye: '再见，祝您生活愉快！',
};

function fallback(understanding: Understanding): Draft {
  const guesses = (understanding.match?.ranked ?? [])
    .filter((scored) => scored.score > 0.1)
    .slice(0, CONFIG.assistant.guessCount)
    .map((scored) => askFor(scored.entry.id));
  return {
    kind: 'guesses',
    text:
      guesses.length > 0
        ? '抱歉，我没有完全理解您的问题。您是想问：'
        : '抱歉，我没有理解您的问题。可以换个说法，或发送「HELP」查看我能做什么。',
    quickReplies: [...(guesses.length > 0 ? guesses : [askFor('help')]), HANDOFF_REPLY],
  };
}

async function draftFor(
  ctx: AnswerContext,
  intent: string,
  understanding: Understanding,
  args: ShortcodeArgs,
): Promise<Draft> {
  const amountFen = args.amountFen ?? understanding.entities.amountFen;
  switch (intent) {
    case 'balance':
    case 'entries':
      return answerGated(ctx, intent, {
        count: args.count ?? understanding.entities.count,
        passwordVerified: false,
        period: understanding.entities.day ?? understanding.entities.month,
      });
    case 'cards':
      return cardsAnswer(ctx);
    case 'transferStatus':
      return transferStatusAnswer(ctx, args.reference ?? understanding.entities.reference);
    case 'nearestBranch':
      return nearestBranchAnswer(ctx);
    case 'bookVisit':
      return {
        text: '预约取号：打开网点详情，选择业务和时段即可取号（如 A023），到网点后凭号办理；可在「我的预约」中取消。',
        links: [link('选择网点', 'branches'), link('我的预约', 'appointments')],
        quickReplies: relatedReplies('bookVisit'),
      };
    case 'transfer':
    case 'topup':
    case 'withdraw':
      return money(intent, amountFen);
    case 'fees':
      return {
        text: amountFen ? `${feeQuote(amountFen)}\n${feesSummary()}` : feesSummary(),
        quickReplies: relatedReplies('fees'),
      };
    case 'limits':
      return { text: limitsSummary(), quickReplies: relatedReplies('limits') };
    case 'quickQuery':
      return quickQueryAnswer(ctx);
    case 'handoff':
      return { kind: 'handoff', text: '', handoff: 'question' };
    case 'complaint':
      return { kind: 'handoff', text: '很抱歉给您带来不好的体验。', handoff: 'complaint' };
    case 'help':
      return {
        text: `我可以帮您查询和办理以下事项，也可以直接用文字或语音提问。\n快捷指令（参数用 # 分隔）：\n${shortcodeHelp()}`,
        quickReplies: relatedReplies('help'),
      };
    case FALLBACK_INTENT:
      return fallback(understanding);
  }
  const known = entry(intent);
  if (known.kind === 'action') {
    return { text: SMALL_TALK[intent] ?? known.title, quickReplies: relatedReplies(intent) };
  }
  // A FAQ answer; fee questions that name an amount also get the figure.
  let text = known.answer!;
  if (amountFen !== undefined && intent === 'fee.transfer') text += `\n${feeQuote(amountFen)}`;
  if (amountFen !== undefined && intent === 'fee.withdraw') text += `\n${withdrawQuote(amountFen)}`;
  return {
    text,
    links: known.links.map((item) => link(item.label, item.page)),
    quickReplies: relatedReplies(intent),
  };
}

/** Answers an understood message (not while a person handles the conversation). */
export async function answer(ctx: AnswerContext, understanding: Understanding): Promise<BotAnswer> {
  const shortcode = understanding.shortcode;
  if (shortcode && !shortcode.ok) {
    return finish(shortcode.spec.intent, 1, {
      kind: 'usage',
      text: usageHint(shortcode),
      quickReplies: [askFor('help')],
    });
  }
  const args = shortcode?.ok ? shortcode.args : {};
  const { intent, confidence } = await secondOpinion(ctx, understanding);
  let draft: Draft;
  if ((intent === 'balance' || intent === 'entries') && args.password !== undefined) {
    draft = await answerWithPassword(ctx, intent, args, understanding);
  } else {
    draft = await draftFor(ctx, intent, understanding, args);
  }
  if (args.cardIgnored) draft = { ...draft, text: `（卡号无需输入，已忽略；这里查询的是零钱。）\n${draft.text}` };
  if (understanding.maskedSomething) draft = { ...draft, text: `${draft.text}\n${SENSITIVE_NOTICE}` };
  return finish(intent, confidence, draft);
}

/**
 * When the offline matcher is unsure and an understanding service is configured, it may pick an
 * entry instead. It sees the masked text only; if it fails or is unsure too, the guesses stand.
 */
async function secondOpinion(
  ctx: AnswerContext,
  understanding: Understanding,
): Promise<{ intent: string; confidence: number }> {
  const mine = { intent: understanding.intent, confidence: understanding.confidence };
  if (understanding.intent !== FALLBACK_INTENT || !ctx.ports.understanding) return mine;
  const kb = knowledge();
  try {
    const guesses = await ctx.ports.understanding.guess(understanding.maskedText, [...kb.byId.keys()]);
    const best = guesses
      .filter((guess) => kb.byId.has(guess.entryId) && guess.confidence >= CONFIG.assistant.answerConfidence)
      .sort((a, b) => b.confidence - a.confidence)[0];
    return best ? { intent: best.entryId, confidence: best.confidence } : mine;
  } catch (error) {
    ctx.deps.log.warn('assistant.understanding_failed', { error: error instanceof Error ? error.name : 'unknown' });
    return mine;
  }
}

/** `CXYE#密码`: the password in the shortcode is checked once, then the gated answer follows. */
async function answerWithPassword(
  ctx: AnswerContext,
  intent: GatedIntent,
  args: ShortcodeArgs,
  understanding: Understanding,
): Promise<Draft> {
  try {
    await ctx.ports.verifyPayPassword(ctx.userId, args.password!);
  } catch (error) {
    if (isAppError(error)) return unavailable(error, [link('设置免密查询', 'quickQuery')]);
    throw error;
  }
  return answerGated(ctx, intent, {
    count: args.count,
    passwordVerified: true,
    period: understanding.entities.day ?? understanding.entities.month,
  });
}

/** The `unlock` action: the pay-password sheet was filled in for a gated answer. */
export async function answerUnlocked(
  ctx: AnswerContext,
  intent: GatedIntent,
  count: number | undefined,
  payPassword: string,
): Promise<BotAnswer> {
  // A wrong or locked password is the action's error (the sheet shows it), not a chat message.
  await ctx.ports.verifyPayPassword(ctx.userId, payPassword);
  return finish(intent, 1, await answerGated(ctx, intent, { count, passwordVerified: true }));
}
