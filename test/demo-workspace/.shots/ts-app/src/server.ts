// The HTTP-ish entry point: one call per request.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { Order, OrderService, ValidationError } from './orders';
import { PaymentDeclinedError } from './payment';
import { withSpan } from './tracing';

export interface Response {
  readonly status: number;
  readonly body: string;
}

const service = new OrderService();

export async function handleRequest(order: Order): Promise<Response> { // @fn handleRequest
  return withSpan(
    'POST /orders',
    async (span) => {
      span.setAttribute('http.request.method', 'POST');
      try {
        service.validate(order);
        const charge = await service.placeOrder(order);
        span.setAttribute('http.response.status_code', 201);
        return { status: 201, body: charge };
      } catch (err) {
        const status = err instanceof ValidationError ? 400 : err instanceof PaymentDeclinedError ? 402 : 500;
        span.setAttribute('http.response.status_code', status);
        if (status >= 402) span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
        return { status, body: (err as Error).message };
      }
    },
    SpanKind.SERVER,
  );
}
