/** `GET /ledger/audits`: the daily ledger audits as a page a developer or an operator reads. */
import type { LedgerAuditView } from '../../typings/ledger';
import { auditReports } from '../domain/ledger/audit';
import { formatDateTime, formatFen } from '../domain/format';
import type { AppDeps } from '../runtime/deps';
import { escapeHtml, HtmlPage, type HostRoute } from './http';

const DAYS_SHOWN = 30;

function reportSection(report: LedgerAuditView): string {
  const verdict = report.ok ? '平账' : `${report.breakCount} 处不平`;
  const rows = report.breaks
    .map(
      (found) =>
        `<tr><td>${escapeHtml(found.check)}</td><td>${escapeHtml(found.subject)}</td><td>${escapeHtml(found.detail)}</td></tr>`,
    )
    .join('');
  return `<section class="${report.ok ? 'ok' : 'broken'}">
<h2>${escapeHtml(report.day)} · ${escapeHtml(verdict)}</h2>
<p>${formatDateTime(report.startedAt)} 开始，用时 ${report.finishedAt - report.startedAt} ms；分录 ${report.entries} 笔，零钱账户 ${report.wallets} 个，核对累计余额的账户 ${report.accounts} 个（截至 ${formatDateTime(report.checkpointThroughAt)}）；全部记账合计 ${escapeHtml(formatFen(report.totalFen))}。</p>
${rows ? `<table><tr><th>检查</th><th>对象</th><th>差异</th></tr>${rows}</table>` : ''}
${report.breakCount > report.breaks.length ? `<p>仅列出前 ${report.breaks.length} 处。</p>` : ''}
</section>`;
}

export function ledgerAuditRoute(deps: AppDeps): HostRoute {
  return {
    method: 'GET',
    path: '/ledger/audits',
    async handle() {
      const reports = await auditReports(deps, DAYS_SHOWN);
      const body = reports.length
        ? reports.map(reportSection).join('\n')
        : '<p>还没有对账报告：settle 每天第一次运行时生成，或调用 settle 的 audit。</p>';
      return new HtmlPage(`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>每日对账报告 · wxbank</title>
<style>body{font:14px/1.6 -apple-system,sans-serif;margin:24px;max-width:960px}section{border-left:4px solid #07c160;padding:4px 12px;margin:16px 0}section.broken{border-color:#fa5151}table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 8px;text-align:left}</style>
</head><body><h1>每日对账报告</h1>
${body}
</body></html>`);
    },
  };
}
