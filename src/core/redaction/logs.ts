// Redacted copies of log records (for the collector's output file): body and attributes go through
// the redactor, as span attributes do, and each distinct Resource is redacted once and shared, so the
// exporter still groups the records by it. Ids, times and severities are kept.
import { getAttr, serviceNameOf } from '../model/attributes';
import type { LogRecord } from '../model/logs';
import type { Resource } from '../model/model';
import { redactAttributes, type Redactor } from './redactor';
import { redactLogBody } from './traces';

export function redactLogRecords(records: readonly LogRecord[], r: Redactor): LogRecord[] {
  const resources = new Map<Resource, Resource>();
  const resourceOf = (orig: Resource): Resource => {
    let res = resources.get(orig);
    if (res) return res;
    r.locate({ traceId: '', spanId: '', field: 'resource' });
    const attributes = redactAttributes(r, orig.attributes);
    r.locate(undefined);
    res = attributes === orig.attributes ? orig : { ...orig, attributes, serviceName: getAttr(attributes, 'service.name') !== undefined ? serviceNameOf(attributes) : orig.serviceName };
    resources.set(orig, res);
    return res;
  };
  return records.map((rec) => {
    const ids = { traceId: rec.traceId ?? '', spanId: rec.spanId ?? '' };
    r.locate({ ...ids, field: 'attribute' });
    const attributes = redactAttributes(r, rec.attributes);
    r.locate(undefined);
    const body = rec.body === undefined ? undefined : redactLogBody(rec.body, r, ids);
    return { ...rec, attributes, body, resource: resourceOf(rec.resource) };
  });
}
