// Zipkin reuses span ids in two legitimate ways, and the trace tree needs unique ids:
//  1. Fragments: one side of a span reported in several pieces (late annotations/tags, flushes),
//     sometimes without kind or timestamp. As zipkin2 Trace.merge (and zipkin-lens mergeV2ById)
//     the pieces of one id are sorted (unshared first, clients first, no endpoint first) and merged
//     when they are on the same side (shared flag) with compatible endpoints, whatever order they
//     arrived in. Spanlens differs in three ways, each so that no span and no timing is lost:
//     pieces of different kinds never merge (zipkin merges a CLIENT into an unshared SERVER with
//     compatible endpoints); two complete records of one side with different start times stay two;
//     and a piece with no kind and no shared flag that fits no unshared span joins the shared span
//     on the host it names (zipkin leaves it as a separate, timeless span; 84 such pieces in the
//     SmartThings trace). A piece that names no host never joins a shared server.
//  2. Shared RPC spans: the CLIENT and the SERVER it called carry the same id (the server usually
//     with `shared: true`). Both are kept — the client's timing shows the network and queueing
//     time around the server — and the server becomes the client's child, as zipkin-lens draws
//     it. OTLP wants span ids unique within a trace, so the server gets the derived id
//     `<id>:server` (`<id>:server-2`... when several servers answered one client, numbered in the
//     order they were reported); see SHARED_SERVER_SUFFIX / parseSharedServerId. The client is the
//     CLIENT span, else (zipkin's SpanNode only looks at the shared flag) the one unshared piece
//     without a kind. Children naming the shared id attach to the server on the same host, else
//     to the client (zipkin's SpanNode rule). Jaeger's SpanIDDeduper does the same with a made-up
//     hex id; a readable suffix keeps the original id visible.
// Ids that collide in any other way are left alone for the trace builder to flag as duplicates.
import { endpointsCompatible, endpointsEqual, mergeEndpoints, ZSpan } from './zipkinSpan';

/**
 * Instrumentation that mixes 64- and 128-bit trace ids reports the low half as the 64-bit id;
 * Zipkin treats both as one trace (it keeps the longest). Rewrites such 64-bit ids to the 128-bit one.
 */
export function unifyTraceIds(spans: readonly ZSpan[]): void {
  const longByLow = new Map<string, string | null>();
  for (const s of spans) {
    if (s.traceId.length !== 32) continue;
    const low = s.traceId.slice(16);
    const known = longByLow.get(low);
    if (known === undefined) longByLow.set(low, s.traceId);
    else if (known !== s.traceId) longByLow.set(low, null); // ambiguous: leave the 64-bit ids alone
  }
  if (longByLow.size === 0) return;
  for (const s of spans) {
    if (s.traceId.length !== 16) continue;
    const long = longByLow.get(s.traceId);
    if (long) s.traceId = long;
  }
}

/**
 * The id suffix that marks the server half of a shared span in the model: the server answering
 * client span `<id>` gets the span id `<id>:server` (`<id>:server-2`, `-3`... when several servers
 * answered the same client), its parentSpanId is `<id>` and its kind is SERVER (or unspecified
 * when the piece had only the `shared` flag). Exporters that need a 16-hex span id map such ids
 * back with parseSharedServerId.
 */
export const SHARED_SERVER_SUFFIX = ':server';

/** `<16 hex>:server[-n]` -> the client's id and n (1 for the first server); else undefined. */
export function parseSharedServerId(spanId: string): { clientId: string; n: number } | undefined {
  const m = /^(.+):server(?:-([1-9]\d*))?$/.exec(spanId);
  return m ? { clientId: m[1], n: m[2] ? Number(m[2]) : 1 } : undefined;
}

/** Merges fragments and separates shared server spans; returns the spans to show, in input order. */
export function mergeSpansById(input: readonly ZSpan[]): ZSpan[] {
  // Zipkin's Span.Builder drops a shared flag on a CLIENT (zipkin-lens: "remove shared flag if set
  // on client"); a client is never the shared half.
  for (const s of input) if (s.shared && s.kind === 'CLIENT') s.shared = false;
  // Most ids are unique: store the span itself and only make a list on the first collision.
  const first = new Map<string, ZSpan>();
  const groups = new Map<string, ZSpan[]>();
  const order: { s: ZSpan; key: string }[] = [];
  for (const s of input) {
    const key = `${s.traceId} ${s.id}`;
    const single = first.get(key);
    if (!single) {
      first.set(key, s);
      order.push({ s, key });
      continue;
    }
    let group = groups.get(key);
    if (!group) groups.set(key, (group = [single]));
    group.push(s);
  }
  if (groups.size === 0) return order.map((o) => o.s);

  // Pieces of one id merge independently of the order they arrived in: sorted as zipkin's
  // Trace.merge does (unshared before shared, clients first, pieces without endpoint first).
  const keep = new Set<ZSpan>();
  const serversByKey = new Map<string, ZSpan[]>();
  for (const [key, group] of groups) {
    const sorted = group.map((s, i) => ({ s, i })).sort((x, y) => cleanupOrder(x.s, y.s) || x.i - y.i).map((x) => x.s);
    const merged: ZSpan[] = [];
    for (const s of sorted) {
      const target = mergeTarget(merged, s);
      if (target) mergeInto(target, s);
      else merged.push(s);
    }
    for (const m of merged) keep.add(m);
    // Servers are numbered in the order they were reported (the first piece of each).
    const at = new Map(group.map((g, i) => [g, i]));
    merged.sort((x, y) => (at.get(x) ?? 0) - (at.get(y) ?? 0));
    const servers = splitShared(merged);
    if (servers) serversByKey.set(key, servers);
  }
  // Output in input order: the spans of an id reported several times come where that id first
  // appeared, in the order of the pieces that carry them.
  const spans: ZSpan[] = [];
  for (const { s, key } of order) {
    const group = groups.get(key);
    if (!group) spans.push(s);
    else for (const g of group) if (keep.has(g)) spans.push(g);
  }
  if (serversByKey.size) reparentChildrenOfSharedSpans(spans, serversByKey);
  return spans;
}

/**
 * Which of the merged spans of one id is the client and which answered it. The client is the
 * CLIENT span, else (zipkin's SpanNode, which only looks at the shared flag) the one unshared
 * piece without a kind. The servers are the SERVER spans and the shared ones. Returns the servers
 * after giving them their derived ids, or undefined when the id is not a client/server pair.
 */
function splitShared(merged: ZSpan[]): ZSpan[] | undefined {
  if (merged.length < 2) return undefined;
  let clients = merged.filter((s) => s.kind === 'CLIENT');
  if (clients.length === 0) clients = merged.filter((s) => !s.kind && !s.shared);
  if (clients.length !== 1) return undefined;
  const client = clients[0];
  const servers = merged.filter((s) => s !== client && (s.kind === 'SERVER' || (s.shared && s.kind !== 'PRODUCER' && s.kind !== 'CONSUMER')));
  if (servers.length === 0) return undefined;
  servers.forEach((srv, n) => {
    srv.id = n === 0 ? `${client.id}${SHARED_SERVER_SUFFIX}` : `${client.id}${SHARED_SERVER_SUFFIX}-${n + 1}`;
    // zipkin backfills a server's missing parent from the client; here the client is the parent.
    srv.parentId = client.id;
    srv.sharedWithClient = true;
  });
  return servers;
}

/** zipkin2 Trace.CLEANUP_COMPARATOR (the id is equal within a group). */
function cleanupOrder(a: ZSpan, b: ZSpan): number {
  // Spanlens: pieces that name no side (no kind, not shared) after all the others, so that they
  // can join the side they belong to, whichever it is (zipkin only merges within one side).
  const as = isSidelessPiece(a);
  if (as !== isSidelessPiece(b)) return as ? 1 : -1;
  if (a.shared !== b.shared) return a.shared ? 1 : -1;
  if (!a.shared) {
    const ac = a.kind === 'CLIENT';
    const bc = b.kind === 'CLIENT';
    if (ac !== bc) return ac ? -1 : 1;
  }
  return compareEndpoint(a.local, b.local);
}

function compareEndpoint(a: ZSpan['local'], b: ZSpan['local']): number {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  return nullsLast(a.serviceName, b.serviceName) || nullsLast(a.ipv4, b.ipv4) || nullsLast(a.ipv6, b.ipv6);
}

function nullsLast(a: string | undefined, b: string | undefined): number {
  if (a === undefined) return b === undefined ? 0 : 1;
  if (b === undefined) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function reparentChildrenOfSharedSpans(spans: readonly ZSpan[], serversByKey: ReadonlyMap<string, ZSpan[]>): void {
  for (const s of spans) {
    if (s.parentId === undefined || s.sharedWithClient) continue;
    const servers = serversByKey.get(`${s.traceId} ${s.parentId}`);
    if (!servers) continue;
    const sameHost = servers.find((v) => endpointsEqual(v.local, s.local));
    const service = s.local?.serviceName;
    const sameService = service ? servers.filter((v) => v.local?.serviceName === service) : [];
    const parent = sameHost ?? (sameService.length === 1 ? sameService[0] : undefined);
    if (parent) s.parentId = parent.id;
  }
}

/** A piece with no kind and no shared flag does not know which side it belongs to. */
function isSidelessPiece(s: ZSpan): boolean {
  return !s.kind && !s.shared;
}

/** Can the incoming piece `b` be folded into `a` (already merged)? */
function canMerge(a: ZSpan, b: ZSpan): boolean {
  if (a.kind && b.kind && a.kind !== b.kind) return false;
  // Zipkin merges only pieces of the same side (shared flag). Spanlens also lets a piece that
  // names no side join the other side when its host says so (see mergeTarget); never the reverse,
  // or a shared server would be swallowed by a late, side-less piece of its client.
  if (a.shared !== b.shared && !isSidelessPiece(b)) return false;
  // Two complete records of one side with different start times are separate calls (e.g. the
  // same id answered twice): keep both rather than lose one's timing.
  if (a.kind && b.kind && a.start !== undefined && b.start !== undefined && a.start !== b.start) return false;
  return endpointsCompatible(a.local, b.local);
}

/**
 * Where a piece goes among the spans already merged for its id: the one of the same kind and
 * side. A piece without kind or shared flag goes, like in zipkin, to an unshared span with
 * compatible endpoints (the client first, as they sort first); else, when it names a host, to the
 * shared span on that host. One that names no host never joins a shared server: it stays the
 * unshared (client) side, as in zipkin's "merges when missing endpoints".
 */
function mergeTarget(merged: readonly ZSpan[], s: ZSpan): ZSpan | undefined {
  let unshared: ZSpan | undefined;
  let other: ZSpan | undefined;
  for (const g of merged) {
    if (!canMerge(g, s)) continue;
    if (g.kind === s.kind && g.shared === s.shared) return g;
    if (!g.shared) unshared ??= g;
    else if (s.local && g.local) other ??= g;
  }
  return unshared ?? other;
}

/** Folds `s` into `target` in place. The record with a kind (else the earlier one) wins conflicts. */
function mergeInto(target: ZSpan, s: ZSpan): void {
  const sWins = !target.kind && !!s.kind;
  const [p, q] = sWins ? [s, target] : [target, s];
  const annotations = dedupeAnnotations([...target.annotations, ...s.annotations]);
  const tags = new Map(q.tags);
  for (const [k, v] of p.tags) tags.set(k, v);
  target.parentId = p.parentId ?? q.parentId;
  target.name = p.name || q.name;
  target.kind = p.kind ?? q.kind;
  target.start = p.start ?? q.start;
  target.duration = p.duration ?? q.duration;
  target.local = mergeEndpoints(p.local, q.local);
  target.remote = mergeEndpoints(p.remote, q.remote);
  target.annotations = annotations;
  target.tags = tags;
  target.shared = p.shared || q.shared;
}

/** Deduplicated and in time order (zipkin-lens: "should order and de-dupe annotations"). */
function dedupeAnnotations(list: ZSpan['annotations']): ZSpan['annotations'] {
  const seen = new Set<string>();
  const byTime = list.map((a, i) => ({ a, i })).sort((x, y) => (x.a.time === undefined || y.a.time === undefined || x.a.time === y.a.time ? x.i - y.i : x.a.time < y.a.time ? -1 : 1));
  return byTime.map((x) => x.a).filter((a) => {
    const k = `${a.time}\u0000${a.value}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
