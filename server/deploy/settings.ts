/**
 * The operator's choices for one deploy: the environment and the settings that differ between
 * environments (SMS provider, which mini program version 小程序码 open, the QR link base, seeds).
 *
 * They come from an optional git-ignored `deploy.local.json` at the repository root (or `--config
 * <file>`), overridden by flags; the SMS provider's API keys may instead come from the shell
 * (WXBANK_SMS_SECRET_ID / WXBANK_SMS_SECRET_KEY), so they need not sit in a file at all. A file
 * keeps a deploy repeatable; flags are for one-off changes. Tencent Cloud credentials never go in
 * the file: they are read from TENCENTCLOUD_SECRETID / TENCENTCLOUD_SECRETKEY only.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { DEMO_BRANCH_COUNT } from '../host/branch-seed';

export const DEFAULT_SETTINGS_FILE = 'deploy.local.json';
export const MP_ENV_VERSIONS = ['release', 'trial', 'develop'] as const;
export type MpEnvVersion = (typeof MP_ENV_VERSIONS)[number];

export type SmsSettings =
  | { provider: 'sandbox' }
  | {
      provider: 'tencent';
      appId: string;
      signName: string;
      templateId: string;
      region: string;
      /** Optional here: when left out, the values the deployed functions already have are kept. */
      secretId?: string;
      secretKey?: string;
    };

export interface DeploySettings {
  envId: string | null;
  /** Tencent Cloud region of the environment, when not the management API's default. */
  region: string | null;
  sms: SmsSettings;
  mpEnvVersion: MpEnvVersion;
  qrLinkBase: string | null;
  seed: { branches: number; merchants: boolean };
  dryRun: boolean;
  /** Deploy what is already in dist/cloudfunctions instead of running the build first. */
  skipBuild: boolean;
  /** Make a new WXBANK_SECRET and keep the one in use as the newest of WXBANK_SECRET_PREVIOUS. */
  rotateSecret: boolean;
  /** Where the settings came from, for the plan's first lines. */
  settingsFile: string | null;
}

const ENV_ID = /^[a-z][a-z0-9-]{3,40}$/;
const HTTPS_URL = /^https:\/\/\S+$/;

const fileSchema = z
  .object({
    env: z.string().regex(ENV_ID, 'env: a CloudBase environment id').optional(),
    region: z
      .string()
      .regex(/^[a-z]+-[a-z]+$/, 'region: e.g. ap-shanghai')
      .optional(),
    sms: z
      .discriminatedUnion('provider', [
        z.object({ provider: z.literal('sandbox') }).strict(),
        z
          .object({
            provider: z.literal('tencent'),
            appId: z.string().min(1),
            signName: z.string().min(1),
            templateId: z.string().min(1),
            region: z.string().min(1).default('ap-guangzhou'),
            secretId: z.string().min(1).optional(),
            secretKey: z.string().min(1).optional(),
          })
          .strict(),
      ])
      .optional(),
    mpEnvVersion: z.enum(MP_ENV_VERSIONS).optional(),
    qrLinkBase: z.string().regex(HTTPS_URL, 'qrLinkBase: an https URL').optional(),
    seed: z
      .object({
        branches: z.number().int().min(0).max(100_000).optional(),
        merchants: z.boolean().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const USAGE = `npm run deploy -- [--env <envId>] [--dry-run] [options]

  --env <envId>              the CloudBase environment (or "env" in deploy.local.json)
  --dry-run                  print the full plan; no credentials, no network
  --config <file>            settings file (default: deploy.local.json when present)
  --sms sandbox|tencent      SMS provider (tencent needs the "sms" block of the settings file)
  --mp-env-version <v>       release | trial | develop: which version 小程序码 open (default release)
  --qr-link-base <https url> base of 二维码链接 (WXBANK_QR_LINK_BASE)
  --branches <n>             sandbox branches to seed (default ${DEMO_BRANCH_COUNT}; 0: none)
  --no-merchants             do not seed the sandbox merchants
  --region <region>          the environment's region, e.g. ap-shanghai
  --skip-build               deploy dist/cloudfunctions as it is
  --rotate-secret            a new WXBANK_SECRET; the one in use is kept for verifying (WXBANK_SECRET_PREVIOUS)

Credentials (not for --dry-run): TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY (an API key
of the account or of a sub-user allowed to manage the environment).`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

function takeValue(args: string[], index: number, flag: string): string {
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return value;
}

interface Flags {
  env?: string;
  dryRun: boolean;
  config?: string;
  sms?: string;
  mpEnvVersion?: string;
  qrLinkBase?: string;
  branches?: string;
  merchants?: boolean;
  region?: string;
  skipBuild: boolean;
  rotateSecret: boolean;
  help: boolean;
}

export function parseFlags(args: readonly string[]): Flags {
  const flags: Flags = { dryRun: false, skipBuild: false, rotateSecret: false, help: false };
  const list = [...args];
  const valued: Record<string, keyof Flags> = {
    '--env': 'env',
    '--config': 'config',
    '--sms': 'sms',
    '--mp-env-version': 'mpEnvVersion',
    '--qr-link-base': 'qrLinkBase',
    '--branches': 'branches',
    '--region': 'region',
  };
  for (let i = 0; i < list.length; i++) {
    const [flag, inline] = list[i]!.split(/=(.*)/s, 2) as [string, string | undefined];
    const key = valued[flag];
    if (key) {
      (flags as unknown as Record<string, string>)[key] = inline ?? takeValue(list, i++, flag);
    } else if (flag === '--dry-run') flags.dryRun = true;
    else if (flag === '--skip-build') flags.skipBuild = true;
    else if (flag === '--rotate-secret') flags.rotateSecret = true;
    else if (flag === '--no-merchants') flags.merchants = false;
    else if (flag === '--help' || flag === '-h') flags.help = true;
    else throw new UsageError(`unknown option ${flag.slice(0, 40)}`);
  }
  return flags;
}

function describeZodError(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`).join('; ');
}

/** Settings from flags, the settings file and (SMS keys only) the shell. */
export function loadSettings(
  args: readonly string[],
  options: { root: string; env: NodeJS.ProcessEnv },
): DeploySettings & { help: boolean } {
  const flags = parseFlags(args);
  const explicitFile = flags.config !== undefined;
  const file = path.resolve(options.root, flags.config ?? DEFAULT_SETTINGS_FILE);
  let fromFile: z.infer<typeof fileSchema> = {};
  if (existsSync(file)) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new UsageError(`${path.relative(options.root, file)} is not valid JSON`);
    }
    const parsed = fileSchema.safeParse(raw);
    if (!parsed.success) throw new UsageError(`${path.basename(file)}: ${describeZodError(parsed.error)}`);
    fromFile = parsed.data;
  } else if (explicitFile) {
    throw new UsageError(`settings file not found: ${flags.config}`);
  }

  const envId = flags.env ?? fromFile.env ?? null;
  if (envId !== null && !ENV_ID.test(envId)) throw new UsageError(`--env: not a CloudBase environment id: ${envId}`);

  let sms: SmsSettings = fromFile.sms ?? { provider: 'sandbox' };
  if (flags.sms !== undefined) {
    if (flags.sms === 'sandbox') sms = { provider: 'sandbox' };
    else if (flags.sms === 'tencent') {
      if (sms.provider !== 'tencent') {
        throw new UsageError('--sms tencent needs the "sms" block (appId, signName, templateId) in the settings file');
      }
    } else throw new UsageError('--sms must be sandbox or tencent');
  }
  if (sms.provider === 'tencent') {
    sms = {
      ...sms,
      secretId: options.env.WXBANK_SMS_SECRET_ID || sms.secretId,
      secretKey: options.env.WXBANK_SMS_SECRET_KEY || sms.secretKey,
    };
  }

  const mpEnvVersion = flags.mpEnvVersion ?? fromFile.mpEnvVersion ?? 'release';
  if (!(MP_ENV_VERSIONS as readonly string[]).includes(mpEnvVersion)) {
    throw new UsageError(`--mp-env-version must be ${MP_ENV_VERSIONS.join(', ')}`);
  }
  const qrLinkBase = flags.qrLinkBase ?? fromFile.qrLinkBase ?? null;
  if (qrLinkBase !== null && !HTTPS_URL.test(qrLinkBase)) {
    throw new UsageError('--qr-link-base must be an https URL');
  }
  const branches =
    flags.branches !== undefined ? Number(flags.branches) : (fromFile.seed?.branches ?? DEMO_BRANCH_COUNT);
  if (!Number.isInteger(branches) || branches < 0 || branches > 100_000) {
    throw new UsageError('--branches must be a whole number from 0 to 100000');
  }
  return {
    envId,
    region: flags.region ?? fromFile.region ?? null,
    sms,
    mpEnvVersion: mpEnvVersion as MpEnvVersion,
    qrLinkBase,
    seed: { branches, merchants: flags.merchants ?? fromFile.seed?.merchants ?? true },
    dryRun: flags.dryRun,
    skipBuild: flags.skipBuild,
    rotateSecret: flags.rotateSecret,
    settingsFile: existsSync(file) ? path.relative(options.root, file) : null,
    help: flags.help,
  };
}
