/**
 * Offline BIN table of Chinese bank cards: which bank issued a card, debit or credit, and the
 * lengths its numbers have, from the leading digits. Detection never sends a number anywhere.
 *
 * Source: China UnionPay issuer identification numbers as published in the banks' card
 * specifications and collected in the public `hexindai/bcbc` data set (data/bin.csv, MIT
 * licence, https://github.com/hexindai/bcbc). This is a curated subset: the 13 national banks in full enough to recognise their
 * current debit and credit card ranges, plus a few other issuers that are recognised but not
 * supported. Ambiguous or obsolete entries of the source (3-digit prefixes, prefixes listed for
 * two issuers) are left out. To add a range: append the prefix to its bank, type and length.
 *
 * `supported` says whether our card gateway is connected to the bank: only those cards can be
 * bound. Names, short names and brand colours come from the one bank table, ../banks.ts.
 */
import type { BankCode, BankView as Bank, CardType } from '../../../typings/cards';
import { BANKS } from '../banks';

/** Prefixes by card type and number length; `a-b` is an inclusive range of same-length prefixes. */
type Ranges = Partial<Record<CardType, Record<number, string>>>;

/** Names and colours are the one bank table's (../banks.ts); here only what the gateway connects and the ranges. */
interface BankEntry {
  supported: boolean;
  ranges: Ranges;
}

const TABLE: Record<BankCode, BankEntry> = {
  ICBC: {
    supported: true,
    ranges: {
      debit: {
        19: '95588 622200 622202 622203 622208 621225-621227 621229 621230 621240 621281 621288 621476 621558 621559 621670 621720-621724 623062 623163',
        18: '621205-621211 622020 623002 623100',
      },
      credit: {
        16: '622210-622215 622230-622240 622245 622246 622158 622159 622597 622599 622910 625247 625249 625858 625859 625915-625917 628288 427020 427030 451810 451811 458060-458069 524047 524091 528856 530970 530984-530990 550213',
        15: '370247',
      },
    },
  },
  CCB: {
    supported: true,
    ranges: {
      debit: {
        19: '621700 622700 622280 436742 620060 621081 621284 621467 621598 621621 621673 623094 623211 623644 623668 623669',
        16: '621080 621082-621084 621466 621488 621499 622707 622966 622988 625955 625956 421349 434061 434062 453242 491031 524094 526410 532421-532429 552245',
      },
      credit: {
        16: '622166 622168 622675-622677 622708 625362 625363 625964-625966 628317 628366 436745 436748 489592 531693 532458',
      },
    },
  },
  ABC: {
    supported: true,
    ranges: {
      debit: {
        19: '95595-95599 622848 622821-622828 622841 622843-622847 622849 620059 620501 621282 621336 621619 621671 623018 623052 623206 601427',
      },
      credit: {
        16: '622836-622839 625336 625826 625827 625996-625998 628268 628269 403361 404117-404121 463758 514027 519412 519413 520082 520083 548478 552599 558730',
      },
    },
  },
  BOC: {
    supported: true,
    ranges: {
      debit: {
        19: '621330-621332 621283 621568 621569 621620 621660-621663 621666-621669 621672 621725 621756-621759 621785-621790 623184 623208 623569 623571-623573 623575 623586 601382 620061 456351',
      },
      credit: { 16: '622750-622765 625337 625905-625910 628312 409666 438088 518476 525746' },
    },
  },
  COMM: {
    supported: true,
    ranges: {
      debit: { 19: '622260-622262 621069', 17: '622258 622259 601428 405512' },
      credit: { 16: '622251-622253 622285 622656 458123 458124 520169' },
    },
  },
  CMB: {
    supported: true,
    ranges: {
      debit: {
        16: '95555 622580 622588 622598 622609 621286 621483 621485 621486 623126 623136 410062 468203 512425 524011',
      },
      credit: { 16: '622575-622579 622581 622582 439188 439225-439227 518710 518718 356889' },
    },
  },
  SPDB: {
    supported: true,
    ranges: {
      debit: { 16: '622516-622518 622521-622523 621351 621352 621390 621791-621793 621795 621796', 19: '621275' },
      credit: {
        16: '622176 622228 622276 622277 622693 625957 625958 625970 625971 356850-356852 404738 404739 456418 498451',
      },
    },
  },
  CGB: {
    supported: true,
    ranges: {
      debit: { 19: '9111 621462 622568' },
      credit: {
        16: '622555-622560 625071-625073 625808-625810 406365 406366 428911 436768-436771 487013 491032-491038 493427 520152 520382',
      },
    },
  },
  PSBC: {
    supported: true,
    ranges: {
      debit: {
        19: '955100 621799 621095 621096 621098 621285 621599 621674 621797 621798 622150 622151 622181 622182 622187-622189 620062 623218 623698 623699',
      },
      credit: { 16: '622810-622812 625919 628310' },
    },
  },
  CITIC: {
    supported: true,
    ranges: {
      debit: {
        16: '621767-621773 622690-622692 622696 622698 622998 622999 620082 433670 433671 433680 442729 442730 968807-968809',
        19: '620527',
      },
      credit: {
        16: '622678-622680 622688 622689 622766-622768 622916 622918 622919 628206 628208 628209 628370-628372 356390-356392 400360 403391-403393 404157-404159 404171-404174 433666-433669 518212 622453',
        15: '376966 376968 376969',
      },
    },
  },
  CIB: {
    supported: true,
    ranges: {
      debit: { 18: '622908 622909 438588 438589 966666', 16: '90592' },
      credit: {
        16: '622901 622902 622571-622573 625960-625963 628212 451289 451290 461982 486493 486494 486861 524070 528057',
      },
    },
  },
  CMBC: {
    supported: true,
    ranges: {
      debit: { 16: '622615-622620 622622 621691 623683 415599 421393 421865 427570 427571 472067 472068' },
      credit: {
        16: '622600-622603 622621 622623 625911-625913 356856-356859 407405 421869-421871 464580 464581 545392 545393 545431 545447',
      },
    },
  },
  CEB: {
    supported: true,
    ranges: {
      debit: { 16: '90030 622660-622674 620085 620518 621489-621492 623156' },
      credit: {
        16: '622161 622162 622570 622650 622655 622657-622659 622685 622687 625339 625975-625981 628201 628202 356837-356841 406252 406254 425862 481699 486497 524090 543159',
      },
    },
  },
  SPABANK: {
    supported: false,
    ranges: {
      debit: { 16: '998800 622298 622536 622538 622539 622983 622986 622989 602907 412962 412963 415752 415753' },
      credit: { 16: '622155-622157 622525 622526 627066-627069 435744 435745 483536 526855 356868 356869' },
    },
  },
  HXBANK: {
    supported: false,
    ranges: { debit: { 16: '622630-622633 623020-623023 621222' }, credit: { 16: '622637 622638 625967-625969' } },
  },
  BJBANK: {
    supported: false,
    ranges: { debit: { 16: '621030 621468 602969 623111 421317 422160 422161' }, credit: { 16: '622163 628203' } },
  },
  // A nested pair from the source: 秦皇岛银行 cards start with 河北银行's prefix plus two digits.
  BHB: {
    supported: false,
    ranges: { debit: { 19: '622498 622499 623000' } },
  },
  QHDCCB: {
    supported: false,
    ranges: { debit: { 19: '62249802 94004602' } },
  },
  SHBANK: {
    supported: false,
    ranges: {
      debit: { 18: '620522 621005 622267 622468 622892 623183 623185' },
      credit: { 16: '622148 622149 402673 402674 486466 356827-356830' },
    },
  },
};

export interface BinEntry {
  prefix: string;
  bank: BankCode;
  cardType: CardType;
  lengths: number[];
}

function expand(token: string): string[] {
  const [from, to] = token.split('-');
  if (!to) return [from!];
  if (from!.length !== to.length) throw new Error(`BIN range ${token} mixes lengths`);
  const prefixes: string[] = [];
  for (let value = Number(from); value <= Number(to); value++) prefixes.push(String(value).padStart(from!.length, '0'));
  return prefixes;
}

function buildIndex(): Map<string, BinEntry> {
  const index = new Map<string, BinEntry>();
  for (const [code, entry] of Object.entries(TABLE) as [BankCode, BankEntry][]) {
    for (const cardType of ['debit', 'credit'] as const) {
      for (const [length, prefixes] of Object.entries(entry.ranges[cardType] ?? {})) {
        for (const prefix of prefixes.split(/\s+/).flatMap(expand)) {
          const existing = index.get(prefix);
          if (existing && (existing.bank !== code || existing.cardType !== cardType)) {
            throw new Error(`BIN ${prefix} is listed for two issuers`);
          }
          if (existing) existing.lengths.push(Number(length));
          else index.set(prefix, { prefix, bank: code, cardType, lengths: [Number(length)] });
        }
      }
    }
  }
  return index;
}

/** Prefix → entry; built once when the module loads. */
export const BIN_INDEX: ReadonlyMap<string, BinEntry> = buildIndex();

export const LONGEST_PREFIX = Math.max(...[...BIN_INDEX.keys()].map((prefix) => prefix.length));

export function bankOf(code: BankCode): Bank {
  const { name, shortName, color } = BANKS[code];
  return { code, name, shortName, color, supported: TABLE[code].supported };
}

export const BANK_CODES = Object.keys(TABLE) as BankCode[];
