import * as z from 'zod';
import { CONFIG } from '../config';
import type { BankCode, CounterService, ServiceCode } from '../../typings/branches';
import { bookAppointment, cancelAppointment, listSlots, myAppointments } from '../domain/branches/appointments';
import { BANK_CODES, COUNTER_SERVICES, SERVICE_CODES } from '../domain/branches/catalog';
import { branchDetail, catalog, findNearby } from '../domain/branches/nearby';
import { applyQueueReport } from '../domain/branches/queue';
import { isDayKey } from '../domain/time';
import { defineFunction } from '../runtime/define';
import type { HttpAccessOptions } from '../runtime/http-access';
import { input, noInput, paging, text } from '../runtime/validation';

const { nearby: nearbySettings } = CONFIG.branches;

const latitude = z
  .number({ error: '纬度格式有误' })
  .min(-90, { error: '纬度须在 -90 到 90 之间' })
  .max(90, { error: '纬度须在 -90 到 90 之间' });
const longitude = z
  .number({ error: '经度格式有误' })
  .min(-180, { error: '经度须在 -180 到 180 之间' })
  .max(180, { error: '经度须在 -180 到 180 之间' });
const branchId = text(64, '网点编号').regex(/^[A-Za-z0-9_-]+$/, { error: '网点编号格式有误' });
const bank = z.enum(BANK_CODES as [BankCode, ...BankCode[]], { error: '不支持的银行' });
const service = z.enum(SERVICE_CODES as [ServiceCode, ...ServiceCode[]], { error: '不支持的业务类型' });
const counterService = z.enum(COUNTER_SERVICES as [CounterService, ...CounterService[]], {
  error: '该业务不支持预约',
});
const date = text(10, '日期').refine(isDayKey, { error: '日期格式应为 YYYY-MM-DD' });
const time = text(5, '时段').regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: '时段格式应为 HH:MM' });
const ticket = text(4, '叫号').regex(/^[A-D]\d{3}$/, { error: '叫号格式有误' });

export const branchesFunction = defineFunction('branches', {
  catalog: { auth: 'public', input: noInput, handle: async () => catalog() },

  nearby: {
    auth: 'public',
    input: input({
      lat: latitude,
      lng: longitude,
      radiusM: z
        .number({ error: '搜索半径格式有误' })
        .int({ error: '搜索半径须为整数米' })
        .min(1, { error: '搜索半径须大于 0' })
        .max(nearbySettings.maxRadiusM, { error: `搜索半径不能超过 ${nearbySettings.maxRadiusM / 1000} 公里` })
        .optional(),
      bankCodes: z
        .array(bank, { error: '银行筛选格式有误' })
        .max(BANK_CODES.length, { error: '银行筛选过多' })
        .optional(),
      service: service.optional(),
      openNow: z.boolean({ error: 'openNow 须为布尔值' }).optional(),
      ...paging(nearbySettings.maxPageSize),
    }),
    handle: (request, ctx) => findNearby(ctx.deps, request),
  },

  detail: {
    auth: 'public',
    input: input({ branchId, lat: latitude.optional(), lng: longitude.optional() }),
    handle: (request, ctx) => branchDetail(ctx.deps, request),
  },

  slots: {
    auth: 'public',
    input: input({ branchId, service: counterService, date: date.optional() }),
    handle: (request, ctx) => listSlots(ctx.deps, request),
  },

  book: {
    auth: 'user',
    input: input({ branchId, service: counterService, date, time }),
    handle: (request, ctx) => bookAppointment(ctx.deps, ctx.caller, request),
  },

  cancel: {
    auth: 'user',
    input: input({
      appointmentId: text(64, '预约编号').regex(/^ap_[0-9a-f]{32}$/, { error: '预约编号格式有误' }),
    }),
    handle: (request, ctx) => cancelAppointment(ctx.deps, ctx.caller, request),
  },

  mine: {
    auth: 'user',
    input: noInput,
    handle: (_request, ctx) => myAppointments(ctx.deps, ctx.caller),
  },

  // Called by a branch's queuing machine: authenticated by the branch's secret, not by an openid.
  queueFeed: {
    auth: 'public',
    input: input({
      branchId,
      secret: text(128, '排队机密钥').min(16, { error: '排队机密钥格式有误' }),
      seq: z
        .number({ error: 'seq 格式有误' })
        .int({ error: 'seq 须为整数' })
        .min(0, { error: 'seq 不能为负' })
        .max(Number.MAX_SAFE_INTEGER, { error: 'seq 过大' }),
      countersOpen: z
        .number({ error: '开放窗口数格式有误' })
        .int({ error: '开放窗口数须为整数' })
        .min(0, { error: '开放窗口数不能为负' })
        .max(100, { error: '开放窗口数过大' }),
      lines: z
        .array(
          z.object({
            service: counterService,
            waiting: z
              .number({ error: '排队人数格式有误' })
              .int({ error: '排队人数须为整数' })
              .min(0, { error: '排队人数不能为负' })
              .max(9_999, { error: '排队人数过大' }),
            nowCalling: ticket.nullable(),
          }),
          { error: 'lines 格式有误' },
        )
        .max(COUNTER_SERVICES.length, { error: '业务队列过多' })
        .refine((lines) => new Set(lines.map((line) => line.service)).size === lines.length, {
          error: '同一业务只能报告一次',
        }),
    }),
    handle: (request, ctx) => applyQueueReport(ctx.deps, request),
  },
});

/**
 * What the function's HTTP path answers (CloudBase HTTP access): a branch's queuing machine posts
 * `queueFeed` with its own secret; nothing else is reachable that way.
 */
export const BRANCHES_HTTP_ACCESS: HttpAccessOptions<'branches'> = {
  routes: { queueFeed: 'POST' },
  trusted: () => ({}),
};
