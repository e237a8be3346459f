/**
 * 智能客服 chat: messages with quick replies and links into pages, a typing bubble while the bot
 * answers, older history on scroll-up, hold-to-talk where the phone can recognise speech, the 免密查询
 * row, and the human handoff banner (polling for the agent's replies while a person is on it).
 *
 * Reply kinds the page acts on: `payPassword` opens the pay-password sheet and then calls `unlock`;
 * `location` offers to send the phone's location with the question again.
 */
import type {
  ChatMessage,
  DeepLink,
  HandoffView,
  MessageRole,
  MessageSource,
  QuickReply,
  ReplyKind,
  SendRequest,
  UnlockRequest,
} from '../../../typings/assistant';
import { assistantService } from '../../services/assistant';
import { errorMessage } from '../../services/transport';
import { sheetErrorState } from '../../utils/pay-password';
import type { DatasetEvent, ValueEvent } from '../../utils/events';
import { loadWithState } from '../../utils/load';
import { formatChinaDateTime } from '../../utils/time';
import { cancel, cancelAll, later } from '../../utils/timers';
import { createVoiceInput, type VoiceInput } from '../../utils/voice';

interface ViewMessage {
  key: string;
  seq: number;
  role: MessageRole;
  text: string;
  kind: ReplyKind | '';
  quickReplies: QuickReply[];
  links: DeepLink[];
  unlock: UnlockRequest | null;
  /** For `location` replies: the question to ask again with the location. */
  askAgain: string;
}

const PAGE_SIZE = 20;
const POLL_MS = 5000;

/** Shown before the first message; tapping sends the text. */
const WELCOME_REPLIES: QuickReply[] = [
  { label: '查余额', text: '查询零钱余额' },
  { label: '查明细', text: '查看最近的交易明细' },
  { label: '附近网点', text: '附近的网点' },
  { label: '快捷指令', text: 'HELP' },
  { label: '转人工', text: '转人工' },
];

function toView(message: ChatMessage, askAgain = ''): ViewMessage {
  const reply = message.reply;
  return {
    key: `m${message.seq}`,
    seq: message.seq,
    role: message.role,
    text: message.text,
    kind: reply?.kind ?? '',
    quickReplies: reply?.quickReplies ?? [],
    links: reply?.links ?? [],
    unlock: reply?.unlock ?? null,
    askAgain: reply?.kind === 'location' ? askAgain : '',
  };
}

/** Pairs each bot message with the user message before it (what a `location` reply re-asks). */
function toViews(messages: ChatMessage[], previousUserText = ''): ViewMessage[] {
  let lastUserText = previousUserText;
  return messages.map((message) => {
    if (message.role === 'user') lastUserText = message.text;
    return toView(message, lastUserText);
  });
}

function handoffBanner(handoff: HandoffView | null): string {
  if (!handoff || handoff.status === 'none') return '';
  if (handoff.status === 'serving') return '人工客服服务中';
  return handoff.position ? `正在为您转接人工客服，前面还有 ${handoff.position} 位` : '正在为您转接人工客服，请稍候';
}

let voice: VoiceInput | null = null;

Component({
  data: {
    loading: true,
    errorMessage: '',
    messages: [] as ViewMessage[],
    hasMore: false,
    loadingOlder: false,
    inputText: '',
    sending: false,
    scrollInto: '',
    handoff: null as HandoffView | null,
    handoffBanner: '',
    quickQueryLabel: '',
    welcomeReplies: WELCOME_REPLIES,
    voiceAvailable: false,
    voiceMode: false,
    recording: false,
    sheetVisible: false,
    sheetBusy: false,
    sheetLocked: '',
    sheetError: '',
    pendingUnlock: null as UnlockRequest | null,
  },
  lifetimes: {
    detached() {
      cancelAll(this);
    },
  },
  methods: {
    async onLoad(query: Record<string, string | undefined> = {}) {
      voice = createVoiceInput();
      this.setData({ voiceAvailable: voice !== null });
      await Promise.all([this.loadLatest(), this.loadQuickQuery()]);
      if (query.ask && !this.data.errorMessage) await this.send(decodeURIComponent(query.ask));
    },
    onShow() {
      // Back from the 免密查询 settings page: show its new state.
      if (!this.data.loading) void this.loadQuickQuery();
    },
    onUnload() {
      cancelAll(this);
    },

    loadLatest() {
      return loadWithState(
        this,
        async () => {
          const page = await assistantService.history({ limit: PAGE_SIZE });
          this.setData({ messages: toViews(page.messages), hasMore: page.hasMore });
          this.applyHandoff(page.handoff);
          this.scrollToEnd();
        },
        '加载失败，请重试',
      );
    },
    onRetry() {
      void this.loadLatest();
    },
    async onLoadOlder() {
      const first = this.data.messages[0];
      if (!this.data.hasMore || this.data.loadingOlder || !first) return;
      this.setData({ loadingOlder: true });
      try {
        const page = await assistantService.history({ beforeSeq: first.seq, limit: PAGE_SIZE });
        this.setData({ messages: [...toViews(page.messages), ...this.data.messages], hasMore: page.hasMore });
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '加载失败'), icon: 'none' });
      } finally {
        this.setData({ loadingOlder: false });
      }
    },

    async loadQuickQuery() {
      try {
        const status = await assistantService.quickQueryStatus();
        this.setData({
          quickQueryLabel:
            status.enabled && status.expiresAt ? `已开启 · 至 ${formatChinaDateTime(status.expiresAt)}` : '未开启',
        });
      } catch {
        this.setData({ quickQueryLabel: '' }); // the row hides; the chat itself still works
      }
    },
    onOpenQuickQuery() {
      void wx.navigateTo({ url: '/pages/assistant/quick-query/index' });
    },

    // ---- sending ----
    onInput(event: ValueEvent<string>) {
      this.setData({ inputText: event.detail });
    },
    onSend() {
      const text = this.data.inputText.trim();
      if (!text || this.data.sending) return;
      this.setData({ inputText: '' });
      void this.send(text);
    },
    onQuickReply(event: DatasetEvent<{ text: string }>) {
      if (!this.data.sending) void this.send(event.currentTarget.dataset.text);
    },

    async send(text: string, source: MessageSource = 'text', location?: SendRequest['location']) {
      const pending: ViewMessage = { ...toView({ id: '', seq: -1, role: 'user', text, createdAt: 0 }), key: 'pending' };
      this.setData({ sending: true, messages: [...this.data.messages, pending] });
      this.scrollToEnd();
      try {
        const request: SendRequest = location ? { text, source, location } : { text, source };
        const result = await assistantService.send(request);
        this.appendMessages(result.messages);
        this.applyHandoff(result.handoff);
      } catch (error) {
        this.setData({ messages: this.data.messages.filter((message) => message.key !== 'pending'), inputText: text });
        wx.showToast({ title: errorMessage(error, '发送失败，请重试'), icon: 'none' });
      } finally {
        this.setData({ sending: false });
        this.scrollToEnd();
      }
    },

    appendMessages(messages: ChatMessage[]) {
      const kept = this.data.messages.filter((message) => message.key !== 'pending');
      const known = new Set(kept.map((message) => message.seq));
      const lastUser = [...kept].reverse().find((message) => message.role === 'user');
      const fresh = toViews(
        messages.filter((message) => !known.has(message.seq)),
        lastUser?.text ?? '',
      );
      this.setData({ messages: [...kept, ...fresh] });
    },
    scrollToEnd() {
      const last = this.data.messages[this.data.messages.length - 1];
      this.setData({ scrollInto: this.data.sending ? 'typing' : last ? last.key : '' });
    },

    // ---- what replies ask the page to do ----
    onLink(event: DatasetEvent<{ url: string }>) {
      wx.navigateTo({
        url: event.currentTarget.dataset.url,
        fail: () => wx.showToast({ title: '该功能即将上线', icon: 'none' }),
      });
    },
    onUnlockTap(event: DatasetEvent<{ key: string }>) {
      const message = this.data.messages.find((item) => item.key === event.currentTarget.dataset.key);
      if (!message?.unlock) return;
      this.setData({ pendingUnlock: message.unlock, sheetVisible: true, sheetError: '', sheetLocked: '' });
    },
    onSheetClose() {
      this.setData({ sheetVisible: false, pendingUnlock: null, sheetError: '', sheetLocked: '' });
    },
    /** The pay-password sheet's `complete` event: `detail.password` is the 6 digits entered. */
    async onPayPasswordComplete(event: { detail: { password: string } }) {
      const unlock = this.data.pendingUnlock;
      if (!unlock) return;
      this.setData({ sheetBusy: true });
      try {
        const result = await assistantService.unlock({ ...unlock, payPassword: event.detail.password });
        this.setData({ sheetVisible: false, pendingUnlock: null, sheetError: '', sheetLocked: '' });
        this.appendMessages(result.messages);
        this.scrollToEnd();
      } catch (error) {
        // Wrong password, tries left, lock: the sheet stays open and shows the server's words.
        const state = sheetErrorState(error);
        this.setData({ sheetError: state.error, sheetLocked: state.lockedMessage });
      } finally {
        this.setData({ sheetBusy: false });
      }
    },
    onShareLocation(event: DatasetEvent<{ ask: string }>) {
      const question = event.currentTarget.dataset.ask || '附近的网点';
      wx.getLocation({
        type: 'gcj02',
        success: (position) => {
          void this.send(question, 'text', { latitude: position.latitude, longitude: position.longitude });
        },
        fail: () => wx.showToast({ title: '未获得位置权限，可在网点页面选择城市', icon: 'none' }),
      });
    },

    // ---- a person on the conversation ----
    applyHandoff(handoff: HandoffView) {
      this.setData({ handoff, handoffBanner: handoffBanner(handoff) });
      if (handoff.status === 'none') cancel(this, 'poll');
      else later(this, 'poll', POLL_MS, () => void this.pollNew());
    },
    /** Fetches what arrived since the last message (an agent's reply) while a person is on it. */
    async pollNew() {
      const last = [...this.data.messages].reverse().find((message) => message.seq > 0);
      try {
        const page = await assistantService.history({ afterSeq: last?.seq ?? 0, limit: PAGE_SIZE });
        this.appendMessages(page.messages);
        this.applyHandoff(page.handoff);
        if (page.messages.length > 0) this.scrollToEnd();
      } catch {
        if (this.data.handoff) this.applyHandoff(this.data.handoff); // try again later
      }
    },
    async onEndHandoff() {
      try {
        const result = await assistantService.endHandoff();
        this.appendMessages([result.message]);
        this.applyHandoff(result.handoff);
        this.scrollToEnd();
      } catch (error) {
        wx.showToast({ title: errorMessage(error, '操作失败'), icon: 'none' });
      }
    },

    // ---- voice ----
    onToggleVoice() {
      this.setData({ voiceMode: !this.data.voiceMode });
    },
    onVoiceStart() {
      if (!voice || this.data.sending) return;
      this.setData({ recording: true });
      voice.start();
    },
    async onVoiceEnd() {
      if (!voice || !this.data.recording) return;
      this.setData({ recording: false });
      const text = await voice.stop();
      if (text) await this.send(text, 'voice');
      else wx.showToast({ title: '没有听清，请再说一次或改用文字', icon: 'none' });
    },
  },
});
