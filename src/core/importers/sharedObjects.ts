// Resource and Scope objects are shared by reference between the spans of one process (model.ts
// contract). Formats without OTLP's grouping (Jaeger inline processes, Zipkin endpoints) repeat
// the process on every span, so importers intern them here by content.
import type { Attribute, Resource, Scope } from '../model/model';
import { serviceNameOf, toPlain } from '../model/attributes';

export const EMPTY_SCOPE: Scope = Object.freeze({ name: '', attributes: Object.freeze([]) as readonly Attribute[] });

export class ResourceInterner {
  private readonly byKey = new Map<string, Resource>();

  /** One Resource per distinct attribute list; `service.name` decides `serviceName`. */
  get(attributes: readonly Attribute[]): Resource {
    const key = attributesKey(attributes);
    let r = this.byKey.get(key);
    if (!r) {
      r = { attributes, serviceName: serviceNameOf(attributes) };
      this.byKey.set(key, r);
    }
    return r;
  }
}

export class ScopeInterner {
  private readonly byKey = new Map<string, Scope>();

  get(name: string | undefined, version: string | undefined): Scope {
    if (!name && !version) return EMPTY_SCOPE;
    const key = `${name ?? ''}\u0000${version ?? ''}`;
    let s = this.byKey.get(key);
    if (!s) {
      s = version ? { name: name ?? '', version, attributes: [] } : { name: name ?? '', attributes: [] };
      this.byKey.set(key, s);
    }
    return s;
  }
}

function attributesKey(attributes: readonly Attribute[]): string {
  let key = '';
  for (const a of attributes) {
    const v = a.value;
    // Type-tagged so that the string "1" and the int 1 give different resources.
    const typed = typeof v === 'string' ? `s${v}` : typeof v === 'bigint' ? `i${v}` : `j${typeof v}:${JSON.stringify(toPlain(v))}`;
    key += `${JSON.stringify(a.key)}=${JSON.stringify(typed)};`;
  }
  return key;
}
