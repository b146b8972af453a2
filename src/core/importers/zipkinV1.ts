// Zipkin v1 semantics: one span record may hold both sides of an RPC, told apart by the core
// annotations cs/cr (client send/receive), sr/ss (server receive/send), ms/mr (messaging), each
// with the endpoint that recorded it. Like Zipkin's own V1SpanConverter, a record is split into
// one v2-style span per side; the server side of a client+server record is marked shared.
// Also used for v2 records that still carry core annotations but no `kind`.
import type { Endpoint, ZAnnotation, ZBinaryAnnotation, ZKind, ZSpan } from './zipkinSpan';

export interface V1Record extends ZSpan {
  readonly binaryAnnotations: readonly ZBinaryAnnotation[];
}

type Core = 'cs' | 'cr' | 'sr' | 'ss' | 'ms' | 'mr';
const CORE = new Set<string>(['cs', 'cr', 'sr', 'ss', 'ms', 'mr']);
const ADDRESS_KEYS = new Set(['sa', 'ca', 'ma']);

export function hasCoreAnnotations(annotations: readonly ZAnnotation[]): boolean {
  return annotations.some((a) => CORE.has(a.value));
}

/**
 * Two v1 records of one span id -> one (zipkin 1.x Span.Builder.merge): annotations and binary
 * annotations united without duplicates; the first real name, or the server's when a client and
 * a server record meet; equal or single timestamps keep the longest duration; different
 * timestamps keep the client's (the record holding cs), else neither, and the timing then comes
 * from the annotations when the record is split by side.
 */
export function mergeV1Records(a: V1Record, b: V1Record): V1Record {
  const has = (r: V1Record, v: string) => r.annotations.some((x) => x.value === v && (x.endpoint ?? r.local));
  const epKey = (e: Endpoint | undefined) => (e ? `${e.serviceName ?? ''}|${e.ipv4 ?? ''}|${e.ipv6 ?? ''}|${e.port ?? ''}` : '');
  const union = <T>(x: readonly T[], y: readonly T[], key: (t: T) => string): T[] => {
    const out = [...x];
    const seen = new Set(out.map(key));
    for (const t of y) {
      const k = key(t);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(t);
    }
    return out;
  };
  const aClient = has(a, 'cs');
  const bClient = has(b, 'cs');
  const core = (r: V1Record) => r.annotations.some((x) => CORE.has(x.value) && (x.endpoint ?? r.local));
  let name = a.name;
  if (a.name === '' || a.name === 'unknown') name = b.name;
  else if (aClient && has(b, 'sr') && b.name !== '') name = b.name; // prefer the server's span name
  // zipkin2 (which converts each record, then merges) keeps the name of the RPC side over that
  // of a record with no core annotation.
  else if (!core(a) && core(b) && b.name !== '') name = b.name;
  let start = a.start;
  let duration = a.duration;
  if (a.start === undefined || b.start === undefined || a.start === b.start) {
    start = a.start ?? b.start;
    duration = a.duration === undefined ? b.duration : b.duration === undefined ? a.duration : a.duration > b.duration ? a.duration : b.duration;
  } else if (bClient) {
    start = b.start;
    duration = b.duration;
  } else if (!aClient) {
    start = undefined;
    duration = undefined;
  }
  const tags = new Map(b.tags);
  for (const [k, v] of a.tags) tags.set(k, v);
  return {
    ...a,
    traceId: a.traceId.length >= b.traceId.length ? a.traceId : b.traceId,
    parentId: a.parentId ?? b.parentId,
    name,
    start,
    duration,
    annotations: union(a.annotations, b.annotations, (x) => `${x.time}\u0000${x.value}\u0000${epKey(x.endpoint)}`),
    binaryAnnotations: union(a.binaryAnnotations, b.binaryAnnotations, (x) => `${x.key}\u0000${JSON.stringify(x.value)}\u0000${epKey(x.endpoint)}`),
    tags,
    local: a.local ?? b.local,
    remote: a.remote ?? b.remote,
    shared: a.shared || b.shared,
  };
}

export function splitByCoreAnnotations(rec: V1Record): ZSpan[] {
  const core: Partial<Record<Core, ZAnnotation>> = {};
  // zipkin: "core annotations require an endpoint"; one without (and no localEndpoint to stand in,
  // as in v2 records that still carry core annotations) is an ordinary annotation.
  const used = new Set<ZAnnotation>();
  for (const a of rec.annotations) {
    if (!CORE.has(a.value) || !(a.endpoint ?? rec.local) || core[a.value as Core]) continue;
    core[a.value as Core] = a;
    used.add(a);
  }

  // Zipkin's V1SpanConverter: bridging from an event model can lose the start annotation; the
  // record's own timestamp + duration ending exactly at cr/ss stands in for it.
  const recStart = rec.start;
  const recDuration = rec.duration;
  const recBoth = recStart !== undefined && recDuration !== undefined;
  const reflects = (end: ZAnnotation | undefined) => recBoth && end?.time !== undefined && recStart + recDuration === end.time;
  if (!core.cs && core.cr && reflects(core.cr)) core.cs = { time: recStart, value: 'cs', endpoint: core.cr.endpoint };
  if (!core.sr && core.ss && reflects(core.ss)) core.sr = { time: recStart, value: 'sr', endpoint: core.ss.endpoint };

  const sides: ZSpan[] = [];
  const addSide = (kind: ZKind | undefined, local: Endpoint | undefined): ZSpan => {
    const side: ZSpan = { traceId: rec.traceId, id: rec.id, parentId: rec.parentId, name: rec.name, kind, local, annotations: [], tags: new Map(), shared: false, path: rec.path };
    sides.push(side);
    return side;
  };
  /** Timing from the begin/end annotations (zipkin: the side's own clock). */
  const timeBy = (side: ZSpan, begin?: ZAnnotation, end?: ZAnnotation) => {
    side.start = begin?.time;
    side.duration = begin?.time !== undefined && end?.time !== undefined && end.time >= begin.time ? end.time - begin.time : undefined;
  };
  /** zipkin maybeTimestampDuration: the record's timestamp and duration when it has both, else the annotations. */
  const timeByRecordOr = (side: ZSpan, begin?: ZAnnotation, end?: ZAnnotation) => {
    if (recBoth) {
      side.start = recStart;
      side.duration = recDuration;
    } else timeBy(side, begin, end);
  };
  const client = core.cs || core.cr ? addSide('CLIENT', core.cs?.endpoint ?? core.cr?.endpoint ?? rec.local) : undefined;
  const server = core.sr || core.ss ? addSide('SERVER', core.sr?.endpoint ?? core.ss?.endpoint ?? rec.local) : undefined;
  const producer = core.ms ? addSide('PRODUCER', core.ms.endpoint ?? rec.local) : undefined;
  const consumer = core.mr ? addSide('CONSUMER', core.mr.endpoint ?? rec.local) : undefined;
  let incomplete = false;
  if (client && server && core.cs && core.sr) {
    // A shared span: the client owns the record's timing; the server's comes from sr/ss.
    timeByRecordOr(client, core.cs, core.cr);
    timeBy(server, core.sr, core.ss);
    server.shared = true;
  } else if (client && core.cs && core.cr) {
    timeByRecordOr(client, core.cs, core.cr);
  } else if (server && core.sr && core.ss) {
    timeByRecordOr(server, core.sr, core.ss);
  } else {
    // Incomplete RPC (zipkin handleIncompleteRpc): start at cs/sr; the record's own timestamp
    // and duration go on the first side (below).
    incomplete = true;
    if (client) client.start = core.cs?.time;
    if (server) server.start = core.sr?.time;
  }
  if (producer) producer.start = core.ms?.time;
  if (consumer) {
    consumer.start = core.mr?.time;
    if (producer) consumer.shared = true;
  }
  if (sides.length === 0) {
    // A local span: the host is the one named by the "lc" (local component) annotation, else any.
    const local =
      rec.binaryAnnotations.find((b) => b.key === 'lc' && b.endpoint)?.endpoint ??
      rec.annotations.find((a) => a.endpoint)?.endpoint ??
      rec.binaryAnnotations.find((b) => b.endpoint && !ADDRESS_KEYS.has(b.key))?.endpoint ??
      rec.local;
    addSide(rec.kind, local);
  }

  const owner = sides[0];
  if (incomplete && recStart !== undefined) {
    owner.start = recStart;
    owner.duration = recDuration;
  }
  // v1 had no shared flag: by convention a server-only record without its own timestamp (or with a
  // timestamp but no duration although ss is there: a row the client wrote) is the shared half.
  if (server && !core.cs && core.sr && (recStart === undefined || (core.ss && recDuration === undefined))) server.shared = true;
  if (rec.shared && sides.length === 1) owner.shared = true;
  // A side left without timing keeps its core annotations as events (zipkin keeps cr and ss), so
  // nothing recorded disappears.
  for (const [side, names] of [[client, ['cs', 'cr']], [server, ['sr', 'ss']]] as const) {
    if (!side || side.start !== undefined) continue;
    for (const n of names) if (core[n]) side.annotations.push({ time: core[n].time, value: n });
  }
  if (incomplete) {
    if (client && core.cr && client.start !== undefined) client.annotations.push({ time: core.cr.time, value: 'cr' });
    if (server && core.ss && server.start !== undefined) server.annotations.push({ time: core.ss.time, value: 'ss' });
  }

  const sideFor = (ep: Endpoint | undefined): ZSpan => (ep?.serviceName && sides.find((s) => s.local?.serviceName === ep.serviceName)) || owner;
  const sideOfKind = (...kinds: ZKind[]): ZSpan | undefined => sides.find((s) => s.kind !== undefined && kinds.includes(s.kind));

  for (const a of rec.annotations) {
    if (CORE.has(a.value) && (used.has(a) || a.endpoint || rec.local)) continue; // represented by kind and timing now, as in Zipkin v2
    sideFor(a.endpoint).annotations.push({ time: a.time, value: a.value });
  }
  for (const b of rec.binaryAnnotations) {
    if (ADDRESS_KEYS.has(b.key)) {
      // "sa" = the server's address seen by the client, "ca" = the client's address seen by the server.
      if (!b.endpoint || !isTrue(b.value)) continue;
      const target = b.key === 'sa' ? sideOfKind('CLIENT', 'PRODUCER') : b.key === 'ca' ? sideOfKind('SERVER', 'CONSUMER') : sideOfKind('PRODUCER', 'CONSUMER');
      if (target) target.remote = b.endpoint;
      else if (sides.length === 1 && !owner.kind) owner.remote = b.endpoint;
      continue;
    }
    sideFor(b.endpoint).tags.set(b.key, tagText(b.value));
  }
  // v2 fields of a v2 record with core annotations belong to the side that owns the record.
  for (const [k, v] of rec.tags) if (!owner.tags.has(k)) owner.tags.set(k, v);
  if (rec.remote && !owner.remote) owner.remote = rec.remote;
  return sides;
}

/** Address annotations are flags; a missing value (some writers omit it) counts as set. */
function isTrue(v: unknown): boolean {
  return v === undefined || v === true || v === 1 || v === '1' || v === 'true';
}

function tagText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
