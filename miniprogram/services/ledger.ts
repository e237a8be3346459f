/** Typed client of the `ledger` cloud function: the wallet (零钱). Amounts are integer fen. */
import type {
  HistoryRequest,
  HistoryView,
  OperationView,
  SummaryView,
  TopupRequest,
  TransferQuoteRequest,
  TransferQuoteView,
  TransferToCardRequest,
  WithdrawQuoteRequest,
  WithdrawQuoteView,
  WithdrawRequest,
} from '../../typings/ledger';
import { callFunction } from './transport';

export const ledgerService = {
  summary(): Promise<SummaryView> {
    return callFunction('ledger', 'summary', {});
  },
  history(request: HistoryRequest = {}): Promise<HistoryView> {
    return callFunction('ledger', 'history', request);
  },
  entry(operationId: string): Promise<OperationView> {
    return callFunction('ledger', 'entry', { operationId });
  },
  topup(request: TopupRequest): Promise<OperationView> {
    return callFunction('ledger', 'topup', request);
  },
  withdrawQuote(request: WithdrawQuoteRequest): Promise<WithdrawQuoteView> {
    return callFunction('ledger', 'withdrawQuote', request);
  },
  withdraw(request: WithdrawRequest): Promise<OperationView> {
    return callFunction('ledger', 'withdraw', request);
  },
  transferQuote(request: TransferQuoteRequest): Promise<TransferQuoteView> {
    return callFunction('ledger', 'transferQuote', request);
  },
  transferToCard(request: TransferToCardRequest): Promise<OperationView> {
    return callFunction('ledger', 'transferToCard', request);
  },
  transferStatus(operationId: string): Promise<OperationView> {
    return callFunction('ledger', 'transferStatus', { operationId });
  },
};
