// `npm run merchant-order -- [amount in yuan] [--merchant <id>] [--order <no>] [--ttl <seconds>]`:
// asks the running local host (npm start) for a sandbox merchant's payment code, prints the QR in
// this terminal and saves it as a PNG under .data/qr/ — scan either with the mini program's 扫一扫
// (the devtools let you pick the PNG; the browser preview lists the code or takes the image).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    merchant: { type: 'string' },
    order: { type: 'string' },
    ttl: { type: 'string' },
    host: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3300}` },
  },
});

const yuan = positionals[0] ?? '28.00';
if (!/^\d{1,8}(\.\d{1,2})?$/.test(yuan)) {
  console.error(`amount must be yuan with at most two decimals, e.g. 28.00 — got ${yuan}`);
  process.exit(2);
}
const [whole, cents = ''] = yuan.split('.');
const body = {
  amountFen: Number(whole) * 100 + Number(cents.padEnd(2, '0')),
  ...(values.merchant ? { merchantId: values.merchant } : {}),
  ...(values.order ? { orderNo: values.order } : {}),
  ...(values.ttl ? { ttlSeconds: Number(values.ttl) } : {}),
};

let answer;
try {
  const response = await fetch(`${values.host}/sandbox/merchant-orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  answer = await response.json();
} catch {
  console.error(`no local host at ${values.host}: start it with npm start (or pass --host)`);
  process.exit(1);
}
if (!answer.ok) {
  console.error(`refused: ${answer.error.code} ${answer.error.message}`);
  process.exit(1);
}

const order = answer.data;
const dir = path.join(root, '.data', 'qr');
mkdirSync(dir, { recursive: true });
const png = path.join(dir, `order-${order.orderNo}.png`);
writeFileSync(png, Buffer.from(order.image.replace(/^data:image\/png;base64,/, ''), 'base64'));
const expires = new Date(order.expiresAt).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
process.stdout.write(
  [
    order.terminal,
    `${order.merchantName}  订单 ${order.orderNo}  ¥${(order.amountFen / 100).toFixed(2)}  有效至 ${expires}`,
    `content: ${order.content}`,
    `PNG:     ${path.relative(process.cwd(), png)}`,
    `paid?    curl '${values.host}/sandbox/merchant-orders?merchantId=${order.merchantId}&orderNo=${order.orderNo}'`,
    '',
  ].join('\n'),
);
