/**
 * The one table of banks: code, official name, the short form WeChat shows in card lists, and the
 * brand colour. The BIN table (cards/bins.ts) and the branch catalog (branches/catalog.ts) both
 * read names from here, so a bank is never spelled two ways.
 */
import type { BankCode } from '../../typings/cards';

export interface BankNames {
  /** Official name, e.g. 上海浦东发展银行: branch lists, SMS texts, payees. */
  name: string;
  /** The form WeChat's card list shows, e.g. 浦发银行. */
  shortName: string;
  /** Brand colour, `#rrggbb`, for card tiles. */
  color: string;
}

export const BANKS: Readonly<Record<BankCode, BankNames>> = {
  ICBC: { name: '中国工商银行', shortName: '工商银行', color: '#c7000b' },
  CCB: { name: '中国建设银行', shortName: '建设银行', color: '#0066b3' },
  ABC: { name: '中国农业银行', shortName: '农业银行', color: '#009882' },
  BOC: { name: '中国银行', shortName: '中国银行', color: '#b81c22' },
  COMM: { name: '交通银行', shortName: '交通银行', color: '#1d3f8f' },
  CMB: { name: '招商银行', shortName: '招商银行', color: '#d7000f' },
  SPDB: { name: '上海浦东发展银行', shortName: '浦发银行', color: '#0b3b8c' },
  CGB: { name: '广发银行', shortName: '广发银行', color: '#e60012' },
  PSBC: { name: '中国邮政储蓄银行', shortName: '邮储银行', color: '#007f3d' },
  CITIC: { name: '中信银行', shortName: '中信银行', color: '#c8161d' },
  CIB: { name: '兴业银行', shortName: '兴业银行', color: '#004b97' },
  CMBC: { name: '中国民生银行', shortName: '民生银行', color: '#00877a' },
  CEB: { name: '中国光大银行', shortName: '光大银行', color: '#6b2c91' },
  SPABANK: { name: '平安银行', shortName: '平安银行', color: '#ff6600' },
  HXBANK: { name: '华夏银行', shortName: '华夏银行', color: '#d6001c' },
  BJBANK: { name: '北京银行', shortName: '北京银行', color: '#e2231a' },
  SHBANK: { name: '上海银行', shortName: '上海银行', color: '#1d4e9e' },
  BHB: { name: '河北银行', shortName: '河北银行', color: '#c30d23' },
  QHDCCB: { name: '秦皇岛银行', shortName: '秦皇岛银行', color: '#0a5ca8' },
};
