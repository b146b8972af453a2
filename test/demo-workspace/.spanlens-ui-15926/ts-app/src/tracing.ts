// The app's one tracing helper: every instrumented function wraps its body in withSpan.
import { Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('ts-app', '1.0.0');

/** Runs fn in an active span; a thrown error (or rejected promise) marks the span as failed. */
export function withSpan<T>(name: string, fn: (span: Span) => T, kind: SpanKind = SpanKind.INTERNAL): T {
  return tracer.startActiveSpan(name, { kind }, (span) => {
    try {
      const result = fn(span);
      if (result instanceof Promise) {
        return result.then(
          (value) => {
            span.end();
            return value;
          },
          (err: unknown) => {
            fail(span, err);
            throw err;
          },
        ) as T;
      }
      span.end();
      return result;
    } catch (err) {
      fail(span, err);
      throw err;
    }
  });
}

function fail(span: Span, err: unknown): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: err instanceof Error ? err.message : String(err) });
  span.end();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
