// The intermediate Zipkin span the Zipkin importer works on: v2 fields with times already in
// nanoseconds and ids normalised. v1 spans, proto3 JSON and v2 all become this before fragments
// are merged and shared client/server ids are resolved (zipkinMerge.ts).

export interface Endpoint {
  readonly serviceName?: string;
  readonly ipv4?: string;
  readonly ipv6?: string;
  readonly port?: number;
}

export interface ZAnnotation {
  readonly time?: bigint;
  readonly value: string;
  /** v1 only: the host that recorded it, which decides the side (client/server) it belongs to. */
  readonly endpoint?: Endpoint;
}

export interface ZBinaryAnnotation {
  readonly key: string;
  readonly value: unknown;
  readonly endpoint?: Endpoint;
}

export type ZKind = 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';

/** Mutable while the importer merges and re-parents; frozen into a model Span at the end. */
export interface ZSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: ZKind;
  /** Epoch ns; undefined when the span has no timestamp (Zipkin allows it). */
  start?: bigint;
  /** ns; undefined when the span has no duration. */
  duration?: bigint;
  local?: Endpoint;
  remote?: Endpoint;
  annotations: ZAnnotation[];
  /** Insertion-ordered tags; values are strings in valid Zipkin, kept as given otherwise. */
  tags: Map<string, unknown>;
  shared: boolean;
  /** JSON path of the source span, for messages. */
  path: string;
  /** Set when the id was rewritten to separate a shared server span from its client. */
  sharedWithClient?: boolean;
}

/** Every field both endpoints have agrees (Zipkin's rule for merging span fragments). */
export function endpointsCompatible(a: Endpoint | undefined, b: Endpoint | undefined): boolean {
  if (!a || !b) return true;
  return (
    (!a.serviceName || !b.serviceName || a.serviceName === b.serviceName) &&
    (!a.ipv4 || !b.ipv4 || a.ipv4 === b.ipv4) &&
    (!a.ipv6 || !b.ipv6 || a.ipv6 === b.ipv6) &&
    (!a.port || !b.port || a.port === b.port)
  );
}

export function endpointsEqual(a: Endpoint | undefined, b: Endpoint | undefined): boolean {
  return a?.serviceName === b?.serviceName && a?.ipv4 === b?.ipv4 && a?.ipv6 === b?.ipv6 && a?.port === b?.port;
}

/** Field-wise union; `primary` wins where both have a value. */
export function mergeEndpoints(primary: Endpoint | undefined, secondary: Endpoint | undefined): Endpoint | undefined {
  if (!primary) return secondary;
  if (!secondary) return primary;
  const out: { serviceName?: string; ipv4?: string; ipv6?: string; port?: number } = {};
  const serviceName = primary.serviceName ?? secondary.serviceName;
  const ipv4 = primary.ipv4 ?? secondary.ipv4;
  const ipv6 = primary.ipv6 ?? secondary.ipv6;
  const port = primary.port ?? secondary.port;
  if (serviceName !== undefined) out.serviceName = serviceName;
  if (ipv4 !== undefined) out.ipv4 = ipv4;
  if (ipv6 !== undefined) out.ipv6 = ipv6;
  if (port !== undefined) out.port = port;
  return out;
}

/** 4 address bytes -> dotted IPv4, 16 -> IPv6 groups (uncompressed); anything else -> undefined. */
export function ipFromBytes(b: Uint8Array): string | undefined {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return undefined;
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i] << 8) | b[i + 1]).toString(16));
  return groups.join(':');
}
