/** Typed client of the `assistant` cloud function (smart customer service). */
import type {
  EnableQuickQueryRequest,
  HandoffRequest,
  HandoffResult,
  HistoryRequest,
  HistoryResult,
  QuickQueryView,
  SendRequest,
  SendResult,
  UnlockInput,
} from '../../typings/assistant';
import { callFunction } from './transport';

export const assistantService = {
  send(request: SendRequest): Promise<SendResult> {
    return callFunction('assistant', 'send', request);
  },
  unlock(request: UnlockInput): Promise<SendResult> {
    return callFunction('assistant', 'unlock', request);
  },
  history(request: HistoryRequest = {}): Promise<HistoryResult> {
    return callFunction('assistant', 'history', request);
  },
  quickQueryStatus(): Promise<QuickQueryView> {
    return callFunction('assistant', 'quickQueryStatus', {});
  },
  enableQuickQuery(request: EnableQuickQueryRequest): Promise<QuickQueryView> {
    return callFunction('assistant', 'enableQuickQuery', request);
  },
  disableQuickQuery(): Promise<QuickQueryView> {
    return callFunction('assistant', 'disableQuickQuery', {});
  },
  requestHandoff(request: HandoffRequest = {}): Promise<HandoffResult> {
    return callFunction('assistant', 'requestHandoff', request);
  },
  endHandoff(): Promise<HandoffResult> {
    return callFunction('assistant', 'endHandoff', {});
  },
};
