// A pretend database client: latency depends on the statement.
import { SpanKind } from '@opentelemetry/api';
import { sleep, withSpan } from './tracing';

export interface Row {
  readonly [column: string]: string | number;
}

let calls = 0;

export async function query(sql: string, params: readonly unknown[] = []): Promise<Row[]> { // @fn query
  return withSpan(
    'db.query',
    async (span) => {
      span.setAttribute('db.system', 'postgresql');
      span.setAttribute('db.statement', sql);
      calls++;
      // Writes are slower than reads; every fifth call hits a cold page.
      await sleep((sql.startsWith('INSERT') ? 6 : 2) + (calls % 5 === 0 ? 8 : 0));
      return params.map((p, i) => ({ id: i + 1, value: String(p) }));
    },
    SpanKind.CLIENT,
  );
}
