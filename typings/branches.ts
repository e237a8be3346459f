/** Function `branches`: nearby branches, their queues, and appointments (预约取号). */

/** The national banks whose branches are listed. */
export type BankCode =
  | 'icbc'
  | 'abc'
  | 'boc'
  | 'ccb'
  | 'bocom'
  | 'psbc'
  | 'cmb'
  | 'spdb'
  | 'citic'
  | 'ceb'
  | 'cmbc'
  | 'cib'
  | 'pab';

/** 个人业务 / 对公业务 / 外币兑换 / 理财 / ATM. */
export type ServiceCode = 'personal' | 'corporate' | 'forex' | 'wealth' | 'atm';

/** Services with a counter queue, hence tickets and appointments (not the ATM). */
export type CounterService = Exclude<ServiceCode, 'atm'>;

export type AppointmentStatus = 'booked' | 'cancelled';
