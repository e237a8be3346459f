/**
 * Sandbox branches: fictional but realistic branches of the 13 national banks in 12 Chinese cities,
 * generated (never scraped) from a seeded PRNG, so the same `count` and `seed` always give the same
 * branches. Locations are GCJ-02, clustered around real districts inside each city's built-up
 * extent; the address names the district and a real road of the nearest district; hours follow the
 * usual weekday/weekend patterns of Chinese branches.
 */
import type { BankCode, ServiceCode } from '../../../typings/branches';
import { BANKS, BANK_CODES, CITIES, type City } from '../../domain/branches/catalog';
import { greatCircleMetres, type LatLng } from '../../domain/branches/geo';
import type { BranchDoc, DayHours } from '../../domain/collections';

interface District {
  name: string;
  centre: LatLng;
  roads: string[];
}

interface CityGeography {
  /** Telephone area code and local number length. */
  areaCode: string;
  localDigits: number;
  /** Share of all branches (bigger cities have more). */
  weight: number;
  districts: District[];
}

const d = (name: string, lat: number, lng: number, roads: string[]): District => ({
  name,
  centre: { lat, lng },
  roads,
});

const GEOGRAPHY: Record<string, CityGeography> = {
  bj: {
    areaCode: '010',
    localDigits: 8,
    weight: 14,
    districts: [
      d('东城区', 39.928, 116.416, ['东长安街', '王府井大街', '东四北大街', '朝阳门内大街']),
      d('西城区', 39.912, 116.366, ['西单北大街', '金融大街', '复兴门内大街', '阜成门内大街']),
      d('朝阳区', 39.921, 116.486, ['建国路', '朝阳北路', '东三环中路', '光华路', '安立路']),
      d('海淀区', 39.959, 116.298, ['中关村大街', '学院路', '海淀大街', '知春路', '西三环北路']),
      d('丰台区', 39.858, 116.287, ['丰台北路', '南三环西路', '马家堡东路']),
      d('石景山区', 39.906, 116.223, ['石景山路', '鲁谷路']),
    ],
  },
  sh: {
    areaCode: '021',
    localDigits: 8,
    weight: 14,
    districts: [
      d('黄浦区', 31.231, 121.484, ['南京东路', '淮海中路', '西藏中路', '河南中路']),
      d('静安区', 31.229, 121.448, ['南京西路', '延安中路', '常德路']),
      d('徐汇区', 31.188, 121.437, ['漕溪北路', '肇嘉浜路', '虹桥路']),
      d('浦东新区', 31.221, 121.544, ['世纪大道', '陆家嘴环路', '张杨路', '浦东南路']),
      d('长宁区', 31.22, 121.424, ['长宁路', '延安西路', '仙霞路']),
      d('杨浦区', 31.26, 121.526, ['四平路', '国定路', '控江路']),
    ],
  },
  gz: {
    areaCode: '020',
    localDigits: 8,
    weight: 11,
    districts: [
      d('越秀区', 23.129, 113.267, ['中山五路', '北京路', '东风中路']),
      d('天河区', 23.125, 113.361, ['天河路', '天河北路', '黄埔大道西', '花城大道']),
      d('海珠区', 23.084, 113.317, ['江南大道中', '新港中路', '工业大道']),
      d('荔湾区', 23.126, 113.244, ['中山七路', '康王中路']),
      d('白云区', 23.158, 113.273, ['机场路', '白云大道']),
    ],
  },
  sz: {
    areaCode: '0755',
    localDigits: 8,
    weight: 11,
    districts: [
      d('福田区', 22.541, 114.055, ['深南大道', '福华路', '益田路', '华强北路']),
      d('罗湖区', 22.548, 114.131, ['人民南路', '深南东路', '宝安南路']),
      d('南山区', 22.533, 113.93, ['科技园南路', '南海大道', '后海大道']),
      d('宝安区', 22.555, 113.884, ['新安四路', '宝民二路']),
    ],
  },
  hz: {
    areaCode: '0571',
    localDigits: 8,
    weight: 8,
    districts: [
      d('上城区', 30.242, 120.169, ['解放路', '延安路', '庆春路']),
      d('西湖区', 30.259, 120.13, ['文三路', '天目山路', '曙光路']),
      d('拱墅区', 30.319, 120.142, ['湖墅南路', '莫干山路']),
      d('滨江区', 30.208, 120.212, ['江南大道', '滨盛路']),
    ],
  },
  cd: {
    areaCode: '028',
    localDigits: 8,
    weight: 9,
    districts: [
      d('锦江区', 30.657, 104.083, ['春熙路', '红星路', '东大街']),
      d('青羊区', 30.674, 104.062, ['人民中路', '蜀都大道', '西玉龙街']),
      d('武侯区', 30.642, 104.043, ['人民南路', '科华北路', '武侯祠大街']),
      d('成华区', 30.66, 104.103, ['建设路', '二环路东二段']),
      d('高新区', 30.583, 104.063, ['天府大道', '锦城大道']),
    ],
  },
  wh: {
    areaCode: '027',
    localDigits: 8,
    weight: 8,
    districts: [
      d('江汉区', 30.601, 114.271, ['解放大道', '建设大道', '新华路']),
      d('江岸区', 30.6, 114.309, ['沿江大道', '中山大道', '黄浦大街']),
      d('武昌区', 30.554, 114.316, ['中南路', '武珞路', '中北路']),
      d('洪山区', 30.5, 114.343, ['珞喻路', '雄楚大道']),
      d('汉阳区', 30.554, 114.218, ['汉阳大道', '龙阳大道']),
    ],
  },
  xa: {
    areaCode: '029',
    localDigits: 8,
    weight: 7,
    districts: [
      d('碑林区', 34.257, 108.947, ['南大街', '东大街', '长安北路']),
      d('新城区', 34.266, 108.96, ['解放路', '东五路']),
      d('莲湖区', 34.265, 108.933, ['西大街', '北大街', '劳动南路']),
      d('雁塔区', 34.223, 108.948, ['小寨东路', '长安中路', '高新路', '科技路']),
      d('未央区', 34.308, 108.947, ['未央路', '凤城八路']),
    ],
  },
  nj: {
    areaCode: '025',
    localDigits: 8,
    weight: 7,
    districts: [
      d('玄武区', 32.048, 118.797, ['中山路', '北京东路', '珠江路']),
      d('秦淮区', 32.034, 118.794, ['中山南路', '太平南路', '洪武路']),
      d('鼓楼区', 32.066, 118.77, ['中山北路', '湖南路', '广州路']),
      d('建邺区', 32.004, 118.732, ['江东中路', '河西大街', '应天大街']),
    ],
  },
  cq: {
    areaCode: '023',
    localDigits: 8,
    weight: 8,
    districts: [
      d('渝中区', 29.557, 106.569, ['民族路', '中山三路', '邹容路', '大坪正街']),
      d('江北区', 29.575, 106.574, ['建新北路', '北城天街']),
      d('南岸区', 29.524, 106.56, ['南坪正街', '江南大道']),
      d('沙坪坝区', 29.541, 106.457, ['小龙坎正街', '汉渝路']),
      d('九龙坡区', 29.502, 106.511, ['杨家坪正街', '石坪桥正街']),
    ],
  },
  hrb: {
    areaCode: '0451',
    localDigits: 8,
    weight: 6,
    districts: [
      d('道里区', 45.759, 126.617, ['中央大街', '友谊路', '尚志大街']),
      d('南岗区', 45.747, 126.663, ['西大直街', '红军街', '果戈里大街']),
      d('道外区', 45.785, 126.65, ['靖宇街', '景阳街']),
      d('香坊区', 45.709, 126.68, ['香坊大街', '中山路']),
    ],
  },
  urc: {
    areaCode: '0991',
    localDigits: 7,
    weight: 5,
    districts: [
      d('天山区', 43.794, 87.631, ['解放北路', '中山路', '新华南路']),
      d('沙依巴克区', 43.801, 87.598, ['友好南路', '西北路']),
      d('新市区', 43.843, 87.599, ['北京南路', '长春中路']),
      d('水磨沟区', 43.832, 87.642, ['南湖南路', '新民路']),
    ],
  },
};

/** The big state banks have the most branches. */
const BANK_WEIGHTS: Record<BankCode, number> = {
  ICBC: 12,
  ABC: 11,
  BOC: 10,
  CCB: 11,
  COMM: 7,
  PSBC: 9,
  CMB: 7,
  SPDB: 5,
  CITIC: 5,
  CEB: 5,
  CMBC: 5,
  CIB: 5,
  SPABANK: 5,
};

const NAME_SUFFIXES = ['支行', '分理处', '营业部', '社区支行'];
const BUILDINGS = ['', '', '', '金融大厦', '国际大厦', '中心广场', '商务楼'];

/** mulberry32: tiny, fast, and the same sequence on every platform. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function gaussian(random: Random): number {
  // Box–Muller
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Branches per (city, bank): proportional to both weights, at least one each, summing to `total`. */
function quotas(total: number): { city: City; bank: BankCode; count: number }[] {
  const cityWeight = CITIES.reduce((sum, city) => sum + GEOGRAPHY[city.code]!.weight, 0);
  const bankWeight = BANK_CODES.reduce((sum, bank) => sum + BANK_WEIGHTS[bank], 0);
  const cells = CITIES.flatMap((city) =>
    BANK_CODES.map((bank) => {
      const exact = (total * GEOGRAPHY[city.code]!.weight * BANK_WEIGHTS[bank]) / (cityWeight * bankWeight);
      return { city, bank, exact, count: Math.max(1, Math.floor(exact)) };
    }),
  );
  let missing = total - cells.reduce((sum, cell) => sum + cell.count, 0);
  const byRemainder = [...cells].sort((a, b) => (b.exact % 1) - (a.exact % 1));
  for (let i = 0; missing > 0; i = (i + 1) % byRemainder.length, missing--) byRemainder[i]!.count += 1;
  return cells;
}

function location(random: Random, city: City, geography: CityGeography): LatLng {
  const district = pick(random, geography.districts);
  const { extent } = city;
  for (;;) {
    // ~2.5 km around a district centre; metres → degrees at this latitude
    const north = gaussian(random) * 2_500;
    const east = gaussian(random) * 2_500;
    const lat = district.centre.lat + north / 111_320;
    const lng = district.centre.lng + east / (111_320 * Math.cos((district.centre.lat * Math.PI) / 180));
    if (lat >= extent.minLat && lat <= extent.maxLat && lng >= extent.minLng && lng <= extent.maxLng) {
      return { lat: Math.round(lat * 1e6) / 1e6, lng: Math.round(lng * 1e6) / 1e6 };
    }
  }
}

function nearestDistrict(geography: CityGeography, at: LatLng): District {
  let best = geography.districts[0]!;
  for (const district of geography.districts) {
    if (greatCircleMetres(at, district.centre) < greatCircleMetres(at, best.centre)) best = district;
  }
  return best;
}

const hhmm = (hours: number, minutes = 0) => hours * 60 + minutes;

/** Weekdays always; weekends by one of the common patterns. */
function openingWeek(random: Random): (DayHours | null)[] {
  const weekday: DayHours = {
    open: pick(random, [hhmm(8, 30), hhmm(9), hhmm(9), hhmm(9), hhmm(9, 30)]),
    close: pick(random, [hhmm(17), hhmm(17), hhmm(17, 30), hhmm(16, 30)]),
  };
  const weekend: DayHours = { open: hhmm(9, 30), close: pick(random, [hhmm(16), hhmm(16, 30)]) };
  const roll = random();
  const [saturday, sunday] =
    roll < 0.25
      ? [null, null] // weekdays only
      : roll < 0.6
        ? [weekend, null] // Saturdays too
        : roll < 0.85
          ? [weekend, weekend] // both weekend days, shorter
          : [weekday, weekday]; // 全年无休: the same hours every day
  return [weekday, weekday, weekday, weekday, weekday, saturday, sunday];
}

function services(random: Random, bank: BankCode): ServiceCode[] {
  const offered: ServiceCode[] = ['personal'];
  if (random() < 0.65) offered.push('corporate');
  if (random() < (bank === 'BOC' ? 0.8 : 0.25)) offered.push('forex');
  if (random() < 0.6) offered.push('wealth');
  if (random() < 0.92) offered.push('atm');
  return offered;
}

function phone(random: Random, geography: CityGeography): string {
  let digits = String(2 + Math.floor(random() * 7)); // local numbers do not start with 0 or 1
  while (digits.length < geography.localDigits) digits += String(Math.floor(random() * 10));
  return `${geography.areaCode}-${digits}`;
}

export interface GenerateOptions {
  /** How many branches in all (at least one per city and bank). */
  count: number;
  seed?: number;
  /** `updatedAt` of every document. */
  now?: number;
}

export function generateBranches(options: GenerateOptions): BranchDoc[] {
  const random = seededRandom(options.seed ?? 20261128);
  const branches: BranchDoc[] = [];
  for (const { city, bank, count } of quotas(options.count)) {
    const geography = GEOGRAPHY[city.code]!;
    // next free number per name: a street with many branches of one bank gets 第2, 第3, …
    const namesTaken = new Map<string, number>();
    for (let index = 0; index < count; index++) {
      const at = location(random, city, geography);
      const district = nearestDistrict(geography, at);
      const road = pick(random, district.roads);
      const building = pick(random, BUILDINGS);
      const place = `${BANKS[bank].shortName}${city.name}${road.replace(/(大街|大道|正街|路|街)$/, '')}`;
      const suffix = pick(random, NAME_SUFFIXES);
      const taken = namesTaken.get(place + suffix) ?? 0;
      namesTaken.set(place + suffix, taken + 1);
      const name = taken === 0 ? place + suffix : `${place}第${taken + 1}${suffix}`;
      branches.push({
        id: `br_${city.code}_${bank.toLowerCase()}_${String(index + 1).padStart(4, '0')}`,
        bankCode: bank,
        cityCode: city.code,
        name,
        address: `${city.name}市${district.name}${road}${1 + Math.floor(random() * 399)}号${building}${building ? `${1 + Math.floor(random() * 3)}层` : ''}`,
        phone: phone(random, geography),
        location: { type: 'Point', coordinates: [at.lng, at.lat] },
        week: openingWeek(random),
        services: services(random, bank),
        accessible: random() < 0.65,
        updatedAt: options.now ?? 0,
      });
    }
  }
  return branches;
}
