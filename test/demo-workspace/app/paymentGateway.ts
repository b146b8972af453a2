// The payment service of the demo traces: its spans record code.* locations in this file.
interface Tracer {
  startActiveSpan<T>(name: string, fn: () => Promise<T>): Promise<T>;
}
declare const tracer: Tracer;

export async function charge(orderId: string, amountUsd: number): Promise<string> {
  return tracer.startActiveSpan('payment.Charge', async () => {
    try {
      return await callBank(orderId, amountUsd);
    } catch {
      // The bank answers 503 now and then: one retry.
      return callBank(orderId, amountUsd);
    }
  });
}

export async function callBank(orderId: string, amountUsd: number): Promise<string> {
  return tracer.startActiveSpan('POST https://bank.example/charge', async () => {
    const res = await fetch('https://bank.example/charge', { method: 'POST', body: JSON.stringify({ orderId, amountUsd }) });
    if (!res.ok) throw new Error(`bank answered ${res.status} ${res.statusText}`);
    return res.text();
  });
}
