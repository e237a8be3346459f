/** The reference data of branches: banks, services, and the cities served (with their extents). */
import type { BankCode, CounterService, ServiceCode } from '../../../typings/branches';
import { BANKS as BANK_TABLE } from '../banks';
import type { LatLng, LatLngBox } from './geo';

/** The national banks whose branches are listed, in the order the branch list and the seed use. */
export const BANK_CODES: BankCode[] = [
  'ICBC',
  'ABC',
  'BOC',
  'CCB',
  'COMM',
  'PSBC',
  'CMB',
  'SPDB',
  'CITIC',
  'CEB',
  'CMBC',
  'CIB',
  'SPABANK',
];

/** Their names, from the one bank table: the official name for the list, the short one for branch names. */
export const BANKS: Readonly<Record<BankCode, { name: string; shortName: string }>> = Object.fromEntries(
  BANK_CODES.map((code) => [code, { name: BANK_TABLE[code].name, shortName: BANK_TABLE[code].shortName }]),
) as Record<BankCode, { name: string; shortName: string }>;

export const SERVICES: Readonly<Record<ServiceCode, { label: string }>> = {
  personal: { label: '个人业务' },
  corporate: { label: '对公业务' },
  forex: { label: '外币兑换' },
  wealth: { label: '理财' },
  atm: { label: 'ATM' },
};

export const SERVICE_CODES = Object.keys(SERVICES) as ServiceCode[];

/** Each counter line's ticket letter: A023 is the 23rd personal-banking ticket of the day. */
export const TICKET_LETTERS: Readonly<Record<CounterService, string>> = {
  personal: 'A',
  corporate: 'B',
  forex: 'C',
  wealth: 'D',
};

export const COUNTER_SERVICES = Object.keys(TICKET_LETTERS) as CounterService[];

export function isCounterService(service: ServiceCode): service is CounterService {
  return service in TICKET_LETTERS;
}

export function formatTicket(service: CounterService, ticketNumber: number): string {
  return `${TICKET_LETTERS[service]}${String(ticketNumber).padStart(3, '0')}`;
}

export interface City {
  code: string;
  name: string;
  /** City centre (GCJ-02): where the list opens when the phone's location is refused. */
  centre: LatLng;
  /** The built-up area the branches lie in (GCJ-02). */
  extent: LatLngBox;
}

export const CITIES: readonly City[] = [
  { code: 'bj', name: '北京', centre: { lat: 39.9087, lng: 116.3975 }, extent: box(39.75, 40.08, 116.18, 116.62) },
  { code: 'sh', name: '上海', centre: { lat: 31.2304, lng: 121.4737 }, extent: box(31.1, 31.36, 121.32, 121.65) },
  { code: 'gz', name: '广州', centre: { lat: 23.1291, lng: 113.2644 }, extent: box(23.03, 23.22, 113.18, 113.45) },
  { code: 'sz', name: '深圳', centre: { lat: 22.5431, lng: 114.0579 }, extent: box(22.5, 22.62, 113.86, 114.2) },
  { code: 'hz', name: '杭州', centre: { lat: 30.2741, lng: 120.1551 }, extent: box(30.18, 30.35, 120.08, 120.25) },
  { code: 'cd', name: '成都', centre: { lat: 30.657, lng: 104.066 }, extent: box(30.56, 30.74, 103.98, 104.16) },
  { code: 'wh', name: '武汉', centre: { lat: 30.5928, lng: 114.3055 }, extent: box(30.48, 30.66, 114.18, 114.42) },
  { code: 'xa', name: '西安', centre: { lat: 34.261, lng: 108.9423 }, extent: box(34.19, 34.34, 108.84, 109.04) },
  { code: 'nj', name: '南京', centre: { lat: 32.0603, lng: 118.7969 }, extent: box(31.97, 32.12, 118.72, 118.86) },
  { code: 'cq', name: '重庆', centre: { lat: 29.563, lng: 106.5516 }, extent: box(29.48, 29.62, 106.45, 106.6) },
  { code: 'hrb', name: '哈尔滨', centre: { lat: 45.773, lng: 126.617 }, extent: box(45.68, 45.82, 126.54, 126.72) },
  { code: 'urc', name: '乌鲁木齐', centre: { lat: 43.8256, lng: 87.6168 }, extent: box(43.76, 43.9, 87.55, 87.66) },
];

function box(minLat: number, maxLat: number, minLng: number, maxLng: number): LatLngBox {
  return { minLat, maxLat, minLng, maxLng };
}
