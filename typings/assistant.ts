/**
 * Function `assistant`: the smart customer service chat (智能客服). Shared by the function and the
 * chat page. The bot answers with text plus quick replies (tap = send that text) and deep links
 * (tap = open that page); it never moves money itself.
 */

/** How the page obtained the text: typed (or a quick reply) or recognised from speech. */
export type MessageSource = 'text' | 'voice';

/** Who wrote a message in the transcript. */
export type MessageRole = 'user' | 'bot' | 'staff' | 'system';

/**
 * What the page should do with a bot message beyond showing its text:
 * - `answer`: nothing special.
 * - `guesses`: the bot was unsure; its quick replies are its best guesses plus 转人工.
 * - `usage`: a shortcode was malformed; the text is its usage hint.
 * - `payPassword`: the answer needs the pay password; open the pay-password sheet, then call
 *   `unlock` with `unlock` below and the password.
 * - `location`: the answer needs the phone's location; get it and resend the message with it.
 * - `unavailable`: the service behind this answer is not available right now (the text says so).
 * - `handoff`: about the human agent queue (queued, outside service hours, ended).
 */
export type ReplyKind = 'answer' | 'guesses' | 'usage' | 'payPassword' | 'location' | 'unavailable' | 'handoff';

/** Intents that need the pay password (or a valid 免密查询) before they answer. */
export type GatedIntent = 'balance' | 'entries';

export interface QuickReply {
  label: string;
  /** Sent as the user's next message when tapped. */
  text: string;
}

export interface DeepLink {
  label: string;
  /** A mini program route with its query, e.g. `/pages/transfer/index?amountFen=50000`. */
  url: string;
}

export interface UnlockRequest {
  intent: GatedIntent;
  /** Entries only: how many. */
  count?: number;
}

export interface BotReply {
  kind: ReplyKind;
  /** The recognised intent or knowledge entry id; `fallback` when nothing matched well enough. */
  intent: string;
  /** 0–1: how sure the matcher was (1 for shortcodes and explicit actions). */
  confidence: number;
  quickReplies: QuickReply[];
  links: DeepLink[];
  /** Present on `payPassword` replies: what to unlock once the password is entered. */
  unlock?: UnlockRequest;
}

export interface ChatMessage {
  id: string;
  /** Position in the user's conversation; history pages by it. */
  seq: number;
  role: MessageRole;
  /** Sensitive numbers are masked (cards, ID numbers, phones, passwords and codes). */
  text: string;
  createdAt: number;
  /** User messages only. */
  source?: MessageSource;
  /** Bot messages only. */
  reply?: BotReply;
}

/** The human agent queue, from the user's side. */
export type HandoffStatus = 'none' | 'waiting' | 'serving';

export interface HandoffView {
  status: HandoffStatus;
  /** Conversations ahead of this one while waiting (0 = next). */
  position?: number;
  /** Whether human agents are on duty now (service hours, China time). */
  inServiceHours: boolean;
  /** Service hours as shown to users, e.g. `07:00–22:00`. */
  serviceHours: string;
  /** When agents are next on duty (epoch ms), when outside service hours. */
  resumesAt?: number;
}

export interface SendRequest {
  text: string;
  source?: MessageSource;
  /** GCJ-02, from wx.getLocation; lets "nearest branch" answer. */
  location?: { latitude: number; longitude: number };
}

export interface SendResult {
  /** The stored user message followed by the bot's answer (none while a person handles the chat). */
  messages: ChatMessage[];
  handoff: HandoffView;
}

export interface UnlockInput extends UnlockRequest {
  payPassword: string;
}

export interface HistoryRequest {
  /** Messages before this seq (older page); omit for the newest page. */
  beforeSeq?: number;
  /** Messages after this seq (what arrived since, e.g. a staff reply); wins over beforeSeq. */
  afterSeq?: number;
  limit?: number;
}

export interface HistoryResult {
  /** Oldest first. */
  messages: ChatMessage[];
  /** True when older messages exist before the first one returned. */
  hasMore: boolean;
  handoff: HandoffView;
}

/** The allowed validity periods of 免密查询, in days. */
export type QuickQueryDays = 1 | 30 | 90;

/** Why 免密查询 was turned off by something other than its expiry. */
export type QuickQueryOffReason = 'userDisabled' | 'payPasswordChanged' | 'allCardsUnbound';

export interface QuickQueryView {
  /** True while it is on and not expired. */
  enabled: boolean;
  days: QuickQueryDays | null;
  enabledAt: number | null;
  expiresAt: number | null;
  /** Set when it was turned off before expiring. */
  offReason: QuickQueryOffReason | null;
  /** The choices the settings page offers. */
  choices: QuickQueryDays[];
}

export interface EnableQuickQueryRequest {
  days: QuickQueryDays;
  payPassword: string;
}

export interface HandoffRequest {
  /** `complaint` puts the conversation in the queue marked as a complaint. */
  reason?: 'question' | 'complaint';
}

export interface HandoffResult {
  /** The bot's notice (queued, or when service resumes). */
  message: ChatMessage;
  handoff: HandoffView;
}

export interface AssistantActions {
  send: { request: SendRequest; response: SendResult };
  unlock: { request: UnlockInput; response: SendResult };
  history: { request: HistoryRequest; response: HistoryResult };
  quickQueryStatus: { request: Record<string, never>; response: QuickQueryView };
  enableQuickQuery: { request: EnableQuickQueryRequest; response: QuickQueryView };
  disableQuickQuery: { request: Record<string, never>; response: QuickQueryView };
  requestHandoff: { request: HandoffRequest; response: HandoffResult };
  endHandoff: { request: Record<string, never>; response: HandoffResult };
}

/**
 * Staff console (the `staff` function, or the local host's `/staff/…`; staff token): a conversation
 * waiting for or with a person.
 */
export interface StaffConversationView {
  conversationId: string;
  status: Exclude<HandoffStatus, 'none'>;
  reason: 'question' | 'complaint';
  queuedAt: number;
  /** The last few messages, masked, oldest first. */
  recent: ChatMessage[];
}
