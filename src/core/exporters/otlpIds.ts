// Model ids -> ids the OTLP/JSON spec allows: trace ids of 32 lower-case hex digits, span ids of
// 16, never all zeros. The model keeps ids as the source file wrote them (see ../model/ids.ts), so
// other formats bring ids OTLP cannot carry. The mapping, applied the same way to a span's own id,
// its parent and its links (so references stay consistent), is:
//
//   1. valid already (32 / 16 hex, not all zeros)          -> unchanged (lower-cased)
//   2. shorter hex, not all zeros (64-bit Jaeger/Zipkin     -> left-padded with zeros to 32 / 16
//      trace ids, Jaeger's leading-zero-less ids)             (lossless; no attribute)
//   3. anything else: not hex ("trace-123"), too long,      -> the first 32 / 16 hex digits of
//      all zeros, the server half of a shared Zipkin span     SHA-256(UTF-8 of the model id);
//      ("<id>:server", "<id>:server-2")                       all zeros (never seen) -> last digit 1
//
// A span whose trace id or span id took rule 3 carries the model id in the string attribute
// `spanlens.original_trace_id` / `spanlens.original_span_id`; a parent that took rule 3 is kept in
// `spanlens.original_parent_span_id`; a link's in the link's own `spanlens.original_trace_id` /
// `spanlens.original_span_id`. Re-exporting such a file changes nothing: its ids are valid.
// A span whose parent id is its own id is a root (see ../model/trace.ts): it is written without a
// parentSpanId, the model's parent id kept in `spanlens.original_parent_span_id`.
import { createHash } from 'crypto';
import { isOtlpHex } from '../model/ids';

export const ORIGINAL_TRACE_ID_ATTR = 'spanlens.original_trace_id';
export const ORIGINAL_SPAN_ID_ATTR = 'spanlens.original_span_id';
export const ORIGINAL_PARENT_SPAN_ID_ATTR = 'spanlens.original_parent_span_id';

const HEX_RE = /^[0-9a-fA-F]+$/;
const ZERO_RE = /^0+$/;


/** The hashed form (rule 3). */
export function derivedOtlpId(id: string, chars: 32 | 16): string {
  const hex = createHash('sha256').update(id, 'utf8').digest('hex').slice(0, chars);
  return ZERO_RE.test(hex) ? hex.slice(0, chars - 1) + '1' : hex;
}

/** The mapped id and whether it was hashed (then the original must be kept in an attribute). */
export function mapOtlpId(id: string, chars: 32 | 16): { id: string; derived: boolean } {
  if (id.length <= chars && id.length > 0 && HEX_RE.test(id) && !ZERO_RE.test(id)) {
    return { id: id.toLowerCase().padStart(chars, '0'), derived: false };
  }
  return { id: derivedOtlpId(id, chars), derived: true };
}

/** One export's id mapper: the hashes are cached, since a trace id repeats on every span. */
export class OtlpIdMapper {
  private readonly cache = new Map<string, string>();
  private readonly derivedSet = new Set<string>();

  traceId(id: string): string {
    return this.map(id, 32);
  }

  spanId(id: string): string {
    return this.map(id, 16);
  }

  /** True when `id` (a model id) is not written as is or padded, so the original is kept. */
  isDerived(id: string, chars: 32 | 16): boolean {
    if (isOtlpHex(id, chars)) return false;
    this.map(id, chars);
    return this.derivedSet.has(`${chars}\u0000${id}`);
  }

  private map(id: string, chars: 32 | 16): string {
    if (isOtlpHex(id, chars)) return id;
    const key = `${chars}\u0000${id}`;
    let out = this.cache.get(key);
    if (out === undefined) {
      const m = mapOtlpId(id, chars);
      out = m.id;
      if (m.derived) this.derivedSet.add(key);
      this.cache.set(key, out);
    }
    return out;
  }
}
