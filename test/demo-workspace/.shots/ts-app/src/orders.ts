// The order service: validates, prices, reserves stock, charges, stores.
import { query } from './db';
import { reserveStock } from './inventory';
import { chargeCard } from './payment';
import { computeTotal } from './pricing';
import { withSpan } from './tracing';

export interface LineItem {
  readonly sku: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface Order {
  readonly id: number;
  readonly card: string;
  readonly items: readonly LineItem[];
}

export class ValidationError extends Error {
  override readonly name = 'ValidationError';
}

export class OrderService {
  private placed = 0;

  validate(order: Order): void { // @fn OrderService.validate
    withSpan('validate order', (span) => {
      span.setAttribute('order.id', order.id);
      if (!order.items.length) throw new ValidationError(`order ${order.id} has no items`);
      for (const item of order.items) {
        if (item.quantity <= 0) throw new ValidationError(`order ${order.id}: bad quantity for ${item.sku}`);
      }
    });
  }

  async placeOrder(order: Order): Promise<string> { // @fn OrderService.placeOrder
    return withSpan('place order', async (span) => {
      const total = computeTotal(order.items);
      await reserveStock(order.items);
      const charge = await chargeCard(order.card, total);
      await query('INSERT INTO orders (id, total, charge) VALUES ($1, $2, $3)', [order.id, total, charge]);
      this.placed++;
      span.setAttribute('order.total', total);
      return charge;
    });
  }

  get placedCount(): number {
    return this.placed;
  }
}
