// Replays a fixed list of orders, four at a time, like a small load test.
import { handleRequest, Response } from './server';
import type { Order } from './orders';

export function makeOrders(n: number): Order[] {
  const orders: Order[] = [];
  for (let i = 1; i <= n; i++) {
    const items = [];
    for (let k = 0; k < 1 + (i % 3); k++) items.push({ sku: `SKU-${(i * 7 + k) % 13}`, quantity: 1 + ((i + k) % 4), unitPrice: 5 + ((i * 3 + k) % 20) });
    // Order 7 is invalid (no items); order 13 pays with a card that is declined.
    orders.push({ id: i, card: i === 13 ? '4000000000000000' : `41111111111${String(1000 + i)}`, items: i === 7 ? [] : items });
  }
  return orders;
}

export async function main(n = 24, concurrency = 4): Promise<Response[]> {
  const orders = makeOrders(n);
  const out: Response[] = [];
  for (let i = 0; i < orders.length; i += concurrency) {
    out.push(...(await Promise.all(orders.slice(i, i + concurrency).map((o) => handleRequest(o)))));
  }
  return out;
}
