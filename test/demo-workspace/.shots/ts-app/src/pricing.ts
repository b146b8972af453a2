// Pricing rules, synchronous.
import { withSpan } from './tracing';
import type { LineItem } from './orders';

const TAX_RATE = 0.2;

export function computeTotal(items: readonly LineItem[]): number { // @fn computeTotal
  return withSpan('compute total', (span) => {
    let subtotal = 0;
    for (const item of items) subtotal += item.unitPrice * item.quantity;
    // A little CPU work so the span has a measurable duration.
    let spin = 0;
    for (let i = 0; i < 20_000 * items.length; i++) spin += Math.sqrt(i);
    span.setAttribute('order.items', items.length);
    span.setAttribute('pricing.spin', Math.round(spin) % 7);
    return Math.round(subtotal * (1 + TAX_RATE) * 100) / 100;
  });
}
