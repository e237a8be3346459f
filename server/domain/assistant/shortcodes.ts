/**
 * Shortcodes (快捷指令), the way banks' 微信银行 accept them: a letter code, then `#`-separated
 * arguments — `CXYE`, `CXMX#10`, `FL#1000`. Case and full-width characters do not matter (ＣＸＹＥ＃…).
 * A known code with bad arguments, or a near-miss of a long code (CXEY), gets a usage hint, never an
 * error. Arguments are classified by what they look like, so the ICBC habit `CXYE#卡号#密码` works:
 * the card number is ignored (the wallet has one balance) and the 6 digits are the pay password.
 */
import { CONFIG } from '../../config';
import { maskSensitiveText } from './redact';
import { editDistance, normalize } from './text';

export interface ShortcodeArgs {
  password?: string;
  count?: number;
  amountFen?: number;
  reference?: string;
  /** A card number or last four was given where none is needed. */
  cardIgnored?: boolean;
}

type ArgRole = 'password' | 'card' | 'count' | 'amount' | 'reference';

export interface ShortcodeSpec {
  code: string;
  /** The knowledge entry id this code answers as. */
  intent: string;
  description: string;
  usage: string;
  /** Roles an argument of this code may take, in the order tried. */
  roles: readonly ArgRole[];
  maxArgs: number;
}

export const SHORTCODES: readonly ShortcodeSpec[] = [
  {
    code: 'CXYE',
    intent: 'balance',
    description: '查询零钱余额',
    usage: 'CXYE，或 CXYE#支付密码（6位数字）',
    roles: ['password', 'card'],
    maxArgs: 2,
  },
  {
    code: 'CXMX',
    intent: 'entries',
    description: '查询最近交易明细',
    usage: `CXMX、CXMX#笔数（1–${CONFIG.assistant.entriesMaxCount}），可再加 #支付密码`,
    roles: ['count', 'password', 'card'],
    maxArgs: 3,
  },
  { code: 'CXKA', intent: 'cards', description: '查询已绑定的银行卡', usage: 'CXKA', roles: [], maxArgs: 0 },
  {
    code: 'ZZCX',
    intent: 'transferStatus',
    description: '查询转账进度（最近一笔或指定编号）',
    usage: 'ZZCX，或 ZZCX#交易编号',
    roles: ['reference'],
    maxArgs: 1,
  },
  { code: 'WD', intent: 'nearestBranch', description: '附近网点及排队人数', usage: 'WD', roles: [], maxArgs: 0 },
  { code: 'YY', intent: 'bookVisit', description: '预约网点取号', usage: 'YY', roles: [], maxArgs: 0 },
  {
    code: 'FL',
    intent: 'fees',
    description: '收费标准；带金额时计算转账手续费',
    usage: 'FL，或 FL#金额（元，如 FL#1000）',
    roles: ['amount'],
    maxArgs: 1,
  },
  { code: 'XE', intent: 'limits', description: '各项限额', usage: 'XE', roles: [], maxArgs: 0 },
  {
    code: 'ZZ',
    intent: 'transfer',
    description: '打开转账页面（可预填金额）',
    usage: 'ZZ，或 ZZ#金额（元）',
    roles: ['amount'],
    maxArgs: 1,
  },
  { code: 'RG', intent: 'handoff', description: '转人工客服', usage: 'RG', roles: [], maxArgs: 0 },
  { code: 'HELP', intent: 'help', description: '列出全部快捷指令', usage: 'HELP 或 BZ', roles: [], maxArgs: 0 },
  { code: 'BZ', intent: 'help', description: '同 HELP', usage: 'HELP 或 BZ', roles: [], maxArgs: 0 },
];

const BY_CODE = new Map(SHORTCODES.map((spec) => [spec.code, spec]));

export type ShortcodeResult =
  | { ok: true; spec: ShortcodeSpec; args: ShortcodeArgs; maskedText: string }
  | { ok: false; spec: ShortcodeSpec; problem: string; maskedText: string };

const CARD_DIGITS = /^\d{12,19}$/;

function roleOf(arg: string, roles: readonly ArgRole[]): ArgRole | undefined {
  const digits = arg.replace(/[\s-]/g, '');
  return roles.find((role) => {
    switch (role) {
      case 'password':
        return /^\d{6}$/.test(arg);
      case 'card':
        return CARD_DIGITS.test(digits) || /^\d{4}$/.test(arg);
      case 'count':
        return /^\d{1,2}$/.test(arg);
      case 'amount':
        return /^\d{1,9}(\.\d{1,2})?$/.test(arg.replace(/[,，]/g, ''));
      case 'reference':
        return /^[a-z0-9_-]{4,40}$/i.test(arg);
    }
  });
}

function maskArg(arg: string, role: ArgRole | undefined): string {
  if (role === 'password') return '******';
  if (role === 'card') {
    const digits = arg.replace(/[\s-]/g, '');
    return digits.length === 4 ? digits : `****${digits.slice(-4)}`;
  }
  if (role === 'amount' || role === 'count') return arg;
  // Unrecognised argument: mask like free text, and any 4+ digit run with it (it may be a secret).
  return maskSensitiveText(arg).replace(/\d{4,}/g, (digits) => '*'.repeat(digits.length));
}

function usageOf(spec: ShortcodeSpec): string {
  return `用法：${spec.usage}`;
}

/** The arguments by their roles (see `roleOf`), or what is wrong with them. */
function parseArgs(
  spec: ShortcodeSpec,
  args: string[],
  roles: readonly (ArgRole | undefined)[],
): ShortcodeArgs | string {
  if (args.length > spec.maxArgs) return spec.maxArgs === 0 ? `${spec.code} 不需要参数。` : '参数太多了。';
  const parsed: ShortcodeArgs = {};
  for (const [index, arg] of args.entries()) {
    const role = roles[index];
    if (!role) return arg.length === 0 ? '「#」后面缺少内容。' : `无法识别参数「${maskArg(arg, undefined)}」。`;
    if (role === 'password') {
      if (parsed.password !== undefined) return '支付密码只需输入一次。';
      parsed.password = arg;
    } else if (role === 'card') {
      parsed.cardIgnored = true;
    } else if (role === 'count') {
      const count = Number(arg);
      if (count < 1 || count > CONFIG.assistant.entriesMaxCount)
        return `笔数应在 1–${CONFIG.assistant.entriesMaxCount} 之间。`;
      parsed.count = count;
    } else if (role === 'amount') {
      const fen = Math.round(Number(arg.replace(/[,，]/g, '')) * 100);
      if (!Number.isSafeInteger(fen) || fen <= 0) return '金额应大于 0。';
      parsed.amountFen = fen;
    } else {
      parsed.reference = arg;
    }
  }
  return parsed;
}

/** Null when the text is not a shortcode (then it is free text). */
export function parseShortcode(text: string): ShortcodeResult | null {
  const normalized = normalize(text).replace(/\s*#\s*/g, '#');
  const match = /^([a-z]{2,5})(?:#(.*))?$/s.exec(normalized);
  if (!match) return null;
  const letters = match[1]!.toUpperCase();
  const rawArgs = match[2] === undefined ? [] : match[2].split('#').map((arg) => arg.trim());
  const exact = BY_CODE.get(letters);
  // A near-miss of a four-letter code (CXEY, CXYF) is a typo; short codes must be exact.
  const near =
    exact ??
    (letters.length >= 4
      ? SHORTCODES.find((spec) => spec.code.length >= 4 && editDistance(spec.code, letters) === 1)
      : undefined);
  if (!near) return null;
  // Each argument's role decides both how it is read and how it is masked for the transcript.
  const roles = rawArgs.map((arg) => roleOf(arg, near.roles));
  const maskedText = [letters, ...rawArgs.map((arg, index) => maskArg(arg, roles[index]))].join('#');
  if (!exact) {
    return {
      ok: false,
      spec: near,
      problem: `没有指令 ${letters}，您是不是要输入 ${near.code}（${near.description}）？`,
      maskedText,
    };
  }
  const parsed = parseArgs(exact, rawArgs, roles);
  if (typeof parsed === 'string') {
    return { ok: false, spec: exact, problem: `${parsed}${usageOf(exact)}`, maskedText };
  }
  return { ok: true, spec: exact, args: parsed, maskedText };
}

/** The HELP answer: every code with what it does and how to write it. */
export function shortcodeHelp(): string {
  const lines = SHORTCODES.filter((spec) => spec.code !== 'BZ').map(
    (spec) => `${spec.code}：${spec.description}${spec.usage === spec.code ? '' : `（${spec.usage}）`}`,
  );
  return lines.join('\n');
}

export function usageHint(result: Extract<ShortcodeResult, { ok: false }>): string {
  const usage = usageOf(result.spec);
  return result.problem.includes(usage) ? result.problem : `${result.problem}${usage}`;
}
