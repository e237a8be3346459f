/** Typed client of the `verify` cloud function: pay password, tickets, SMS resends. */
import type { RequestOf } from '../../typings/api';
import type { PayPasswordStatus, SensitivePurpose, SmsChallengeView, TicketView } from '../../typings/verify';
import { callFunction } from './transport';

export const verifyService = {
  setPayPassword(payPassword: string, confirmPayPassword: string): Promise<PayPasswordStatus> {
    return callFunction('verify', 'setPayPassword', { payPassword, confirmPayPassword });
  },
  changePayPassword(request: RequestOf<'verify', 'changePayPassword'>): Promise<PayPasswordStatus> {
    return callFunction('verify', 'changePayPassword', request);
  },
  verifyPayPassword(payPassword: string, purpose: SensitivePurpose): Promise<TicketView> {
    return callFunction('verify', 'verifyPayPassword', { payPassword, purpose });
  },
  resendSms(challengeId: string, phone: string): Promise<SmsChallengeView> {
    return callFunction('verify', 'resendSms', { challengeId, phone });
  },
};
