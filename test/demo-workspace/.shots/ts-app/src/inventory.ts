// Stock reservation.
import { query } from './db';
import { withSpan } from './tracing';
import type { LineItem } from './orders';

export async function reserveStock(items: readonly LineItem[]): Promise<number> { // @fn reserveStock
  return withSpan('reserve stock', async (span) => {
    let reserved = 0;
    for (const item of items) {
      const rows = await query('SELECT quantity FROM stock WHERE sku = $1 FOR UPDATE', [item.sku]);
      reserved += rows.length ? item.quantity : 0;
    }
    span.setAttribute('inventory.reserved', reserved);
    return reserved;
  });
}
