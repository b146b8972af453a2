// The payment gateway client. Declines cards whose number ends in 0000.
import { SpanKind } from '@opentelemetry/api';
import { sleep, withSpan } from './tracing';

export class PaymentDeclinedError extends Error {
  override readonly name = 'PaymentDeclinedError';
}

export const chargeCard = async (card: string, amount: number): Promise<string> => { // @fn chargeCard
  return withSpan(
    'charge card',
    async (span) => {
      span.setAttribute('payment.amount', amount);
      await sleep(5 + (amount % 7));
      if (card.endsWith('0000')) {
        const err = new PaymentDeclinedError(`card ending ${card.slice(-4)} declined`); // @throw
        span.recordException(err);
        throw err;
      }
      return `ch_${card.slice(-4)}_${Math.round(amount * 100)}`;
    },
    SpanKind.CLIENT,
  );
};
