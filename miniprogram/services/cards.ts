/** Typed client of the `cards` cloud function. */
import type {
  BindStartRequest,
  BindStartView,
  CardDetailView,
  CardDetectionView,
  CardView,
  SandboxSmsCodeView,
} from '../../typings/cards';
import type { SensitiveCredentialFields } from '../../typings/verify';
import { callFunction } from './transport';

export const cardsService = {
  detect(cardNumber: string): Promise<CardDetectionView> {
    return callFunction('cards', 'detect', { cardNumber });
  },
  list(): Promise<{ cards: CardView[]; limit: number }> {
    return callFunction('cards', 'list', {});
  },
  detail(cardId: string): Promise<CardDetailView> {
    return callFunction('cards', 'detail', { cardId });
  },
  bindStart(request: BindStartRequest): Promise<BindStartView> {
    return callFunction('cards', 'bindStart', request);
  },
  bindConfirm(bindingId: string, smsCode: string): Promise<CardView> {
    return callFunction('cards', 'bindConfirm', { bindingId, smsCode });
  },
  /** The sandbox's code for a binding; answers INVALID_ARGUMENT (不支持的操作) where a real SMS provider sends. */
  sandboxSmsCode(bindingId: string): Promise<SandboxSmsCodeView> {
    return callFunction('cards', 'sandboxSmsCode', { bindingId });
  },
  unbind(cardId: string, credential: SensitiveCredentialFields): Promise<{ cardId: string; unbound: true }> {
    return callFunction('cards', 'unbind', { cardId, ...credential });
  },
};
