// The checkout service of the demo traces: its spans record code.* locations in this file.
import { charge } from './paymentGateway';

interface Tracer {
  startActiveSpan<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
declare const tracer: Tracer;
declare function getCart(cartId: string): Promise<{ items: number; totalUsd: number }>;
declare function sql(text: string, values: unknown[]): Promise<void>;

export async function placeOrder(orderId: string, cartId: string): Promise<number> {
  return tracer.startActiveSpan('checkout.PlaceOrder', async () => {
    const cart = await getCart(cartId);
    await charge(orderId, cart.totalUsd);
    await saveOrder(orderId, cart.totalUsd);
    return cart.totalUsd;
  });
}

export async function saveOrder(orderId: string, totalUsd: number): Promise<void> {
  await tracer.startActiveSpan('INSERT orders', () => sql('INSERT INTO orders (id, total) VALUES ($1, $2)', [orderId, totalUsd]));
}
