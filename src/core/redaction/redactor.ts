// The redaction engine: one Redactor per export run, holding the compiled rules, the per-key
// decisions, the counts and the findings of that run.
//
// Speed: a trace has millions of short strings and almost none holds a secret. A string is
// first checked against the shortest default match (too short: done), then against ONE regex made
// of every default rule's literal hint; only strings that pass run the rules whose own hint
// matches. Attribute keys repeat across spans, so whether a key is secret is decided once per
// distinct key string (keys.ts).
import { createHmac } from 'crypto';
import type { AttrValue, Attribute, KeyValueList } from '../model/model';
import { KeyClassifier } from './keys';
import { CUSTOM_KEY_RULE, SECRET_KEY_RULE, VALUE_RULES, type ValueRule } from './rules';

export interface RedactionRules {
  /** Extra regex sources (JavaScript syntax, case-sensitive); each match is replaced. Named `custom:N`
   *  (1-based), or NAME when the source starts with a named group `(?<NAME>…)`. */
  readonly patterns?: readonly string[];
  /** Extra secret key names or globs (`*` = any run); a name without a dot also matches the last key segment. */
  readonly keys?: readonly string[];
  /** Keys exempted from every rule (same syntax as `keys`). */
  readonly allow?: readonly string[];
}

export interface RedactorOptions extends RedactionRules {
  /** keyed-hash mode when set; equal inputs give equal outputs within one export */
  readonly hmacKey?: Uint8Array;
  /** keep at most this many findings (default 1000) */
  readonly maxFindings?: number;
}

export type RedactionField = 'attribute' | 'resource' | 'scope' | 'event' | 'link' | 'name' | 'status' | 'log';

export interface RedactionFinding {
  readonly traceId: string;
  readonly spanId: string;
  readonly field: RedactionField;
  readonly key?: string;
  readonly rule: string;
}

/** Where the strings being redacted come from, for findings. */
export interface RedactionLocation {
  readonly traceId: string;
  readonly spanId: string;
  readonly field: RedactionField;
}

export interface Redactor {
  /** Redacts one string; `key` is the attribute key when the string is (part of) an attribute value. Counts matches. */
  string(value: string, key?: string): string;
  /** Redacts an AttrValue recursively (strings inside arrays and kvlists too); non-strings returned as is. */
  value(value: AttrValue, key?: string): AttrValue;
  /** What would be masked, without counting: for on-screen masking. undefined when nothing matches. */
  match(value: string, key?: string): { readonly masked: string; readonly rules: readonly string[] } | undefined;
  readonly counts: ReadonlyMap<string, number>;
  total(): number;
  findings(): readonly RedactionFinding[];
  /** Sets where the next strings come from (recorded in findings; read at each match, so it may be updated in place); undefined records none. */
  locate(where: RedactionLocation | undefined): void;
  /** Every rule name this redactor can report, in reporting order (defaults, then custom patterns). */
  readonly ruleNames: readonly string[];
}

/** A pattern that does not compile; `pattern` is the source as given. */
export class RedactionPatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly reason: string,
  ) {
    super(`invalid redaction pattern "${pattern}": ${reason}`);
  }
}

interface Compiled {
  readonly name: string;
  readonly re: RegExp;
  readonly group: number;
  readonly hint?: RegExp;
  readonly accept?: (secret: string) => boolean;
  readonly minLength: number;
}

function compileDefault(r: ValueRule): Compiled {
  // `d` gives the capture group's offsets, so only the secret part is replaced.
  const flags = r.re.flags.includes('d') ? r.re.flags : r.re.flags + 'd';
  return { name: r.name, re: new RegExp(r.re.source, flags), group: r.group ?? 0, hint: new RegExp(r.hint, 'i'), accept: r.accept, minLength: r.minLength };
}

export function compilePattern(source: string, index: number): Compiled {
  let re: RegExp;
  try {
    re = new RegExp(source, 'gd');
  } catch (e) {
    throw new RedactionPatternError(source, (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, ''));
  }
  const named = /^\(\?<([A-Za-z_][\w]*)>/.exec(source);
  return { name: named ? named[1] : `custom:${index + 1}`, re, group: 0, minLength: 1 };
}

const DEFAULTS: readonly Compiled[] = VALUE_RULES.map(compileDefault);
const PREFILTER = new RegExp(VALUE_RULES.map((r) => r.hint).join('|'), 'i');
const MIN_LENGTH = Math.min(...VALUE_RULES.map((r) => r.minLength));

// Private-use characters: no rule matches them, and real values almost never hold them.
const PLACEHOLDER_OPEN = '\uE000';
const PLACEHOLDER_CLOSE = '\uE001';
const PLACEHOLDER_RE = /\uE000(\d+)\uE001/g;

const CLEAN_CACHE_SIZE = 65_536;
const CLEAN_CACHE_MAX_LENGTH = 256;

type OnHit = (rule: string, key: string | undefined) => void;

class RedactorImpl implements Redactor {
  readonly counts = new Map<string, number>();
  readonly ruleNames: readonly string[];
  private readonly custom: readonly Compiled[];
  private readonly keys: KeyClassifier;
  private readonly hmacKey?: Uint8Array;
  private readonly hashes = new Map<string, string>();
  /** Strings known to hold nothing to redact: values repeat a lot across spans (routes, statuses, messages). */
  private readonly clean = new Set<string>();
  private readonly maxFindings: number;
  private readonly found: RedactionFinding[] = [];
  private where?: RedactionLocation;
  private readonly count: OnHit = (rule, key) => {
    this.counts.set(rule, (this.counts.get(rule) ?? 0) + 1);
    const w = this.where;
    if (w && this.found.length < this.maxFindings) this.found.push(key === undefined ? { ...w, rule } : { ...w, key, rule });
  };

  constructor(opts: RedactorOptions) {
    this.custom = (opts.patterns ?? []).map(compilePattern);
    this.keys = new KeyClassifier(opts.keys, opts.allow);
    this.hmacKey = opts.hmacKey;
    this.maxFindings = opts.maxFindings ?? 1000;
    this.ruleNames = [SECRET_KEY_RULE, CUSTOM_KEY_RULE, ...DEFAULTS.map((r) => r.name), ...this.custom.map((r) => r.name)];
  }

  string(value: string, key?: string): string {
    return this.redact(value, key, undefined, this.count);
  }

  value(value: AttrValue, key?: string): AttrValue {
    return this.redactValue(value, key, undefined, this.count);
  }

  match(value: string, key?: string): { masked: string; rules: string[] } | undefined {
    const rules: string[] = [];
    const masked = this.redact(value, key, undefined, (rule) => {
      if (!rules.includes(rule)) rules.push(rule);
    });
    return rules.length ? { masked, rules } : undefined;
  }

  total(): number {
    let n = 0;
    for (const c of this.counts.values()) n += c;
    return n;
  }

  findings(): readonly RedactionFinding[] {
    return this.found;
  }

  locate(where: RedactionLocation | undefined): void {
    this.where = where;
  }

  /** `forced` is the rule of an enclosing secret key: every string below it is masked whole. */
  private redactValue(v: AttrValue, key: string | undefined, forced: string | undefined, hit: OnHit): AttrValue {
    if (typeof v === 'string') return this.redact(v, key, forced, hit);
    if (v === null || typeof v !== 'object' || v instanceof Uint8Array) return v;
    if (Array.isArray(v)) {
      let out: AttrValue[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const r = this.redactValue(v[i], key, forced, hit);
        if (r !== v[i]) (out ??= v.slice())[i] = r;
      }
      return out ?? v;
    }
    const list = (v as KeyValueList).kvlist;
    const inner = forced ?? (key !== undefined ? this.keyRule(key) : undefined);
    const attrs = this.attributes(list, inner, hit);
    return attrs === list ? v : { kvlist: attrs };
  }

  /** Redacts a list of attributes; the same array back when nothing changed (no copy per span). */
  attributes(list: readonly Attribute[], forced: string | undefined, hit: OnHit = this.count): readonly Attribute[] {
    let out: Attribute[] | undefined;
    for (let i = 0; i < list.length; i++) {
      const a = list[i];
      const v = this.redactValue(a.value, a.key, forced, hit);
      if (v !== a.value) (out ??= list.slice())[i] = { key: a.key, value: v };
    }
    return out ?? list;
  }

  /** The whole-value rule of a key, undefined for keys that are plain (or allowed: see redact()). */
  private keyRule(key: string): string | undefined {
    const d = this.keys.decide(key);
    return d === 'secret' ? SECRET_KEY_RULE : d === 'custom' ? CUSTOM_KEY_RULE : undefined;
  }

  private redact(value: string, key: string | undefined, forced: string | undefined, hit: OnHit): string {
    if (value.length === 0) return value;
    if (key !== undefined) {
      const d = this.keys.decide(key);
      if (d === 'allow') return value;
      const whole = forced ?? (d === 'secret' ? SECRET_KEY_RULE : d === 'custom' ? CUSTOM_KEY_RULE : undefined);
      if (whole) {
        hit(whole, key);
        return this.marker(whole, value);
      }
    } else if (forced) {
      hit(forced, key);
      return this.marker(forced, value);
    }
    if (this.clean.has(value)) return value;
    let out = value;
    // While the rules run, each replacement is a placeholder: a later rule must not see (and
    // re-redact) an earlier marker, e.g. "password:" inside "<redacted:url-password:1a2b…>".
    const markers: string[] | undefined = value.includes(PLACEHOLDER_OPEN) ? undefined : [];
    this.pending = markers;
    // User patterns first: they see the text as written.
    for (const rule of this.custom) out = this.apply(rule, out, key, hit);
    if (out.length >= MIN_LENGTH && PREFILTER.test(out)) {
      for (const rule of DEFAULTS) {
        if (out.length >= rule.minLength && rule.hint!.test(out)) out = this.apply(rule, out, key, hit);
      }
    }
    this.pending = undefined;
    if (markers?.length) out = out.replace(PLACEHOLDER_RE, (_m, i: string) => markers[Number(i)]);
    if (out === value && value.length <= CLEAN_CACHE_MAX_LENGTH && this.clean.size < CLEAN_CACHE_SIZE) this.clean.add(value);
    return out;
  }

  /** Markers of the string being redacted, replaced by placeholders until every rule has run. */
  private pending?: string[];

  private replacement(rule: string, secret: string): string {
    const text = this.marker(rule, secret);
    if (!this.pending) return text;
    this.pending.push(text);
    return `${PLACEHOLDER_OPEN}${this.pending.length - 1}${PLACEHOLDER_CLOSE}`;
  }

  private apply(rule: Compiled, s: string, key: string | undefined, hit: OnHit): string {
    const re = rule.re;
    re.lastIndex = 0;
    let out = '';
    let last = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(s)) !== null) {
      const span = m.indices?.[rule.group];
      if (!span || span[0] === span[1]) {
        // An empty match (user pattern such as `a*`) or an absent group: step on, replace nothing.
        if (m[0].length === 0) re.lastIndex++;
        continue;
      }
      const secret = s.slice(span[0], span[1]);
      if ((rule.accept && !rule.accept(secret)) || (this.pending && secret.includes(PLACEHOLDER_OPEN))) {
        re.lastIndex = m.index + 1;
        continue;
      }
      hit(rule.name, key);
      out += s.slice(last, span[0]) + this.replacement(rule.name, secret);
      last = span[1];
      if (re.lastIndex < last) re.lastIndex = last;
    }
    return last === 0 ? s : out + s.slice(last);
  }

  private marker(rule: string, secret: string): string {
    if (!this.hmacKey) return `<redacted:${rule}>`;
    let h = this.hashes.get(secret);
    if (h === undefined) {
      h = createHmac('sha256', this.hmacKey).update(secret, 'utf8').digest('hex').slice(0, 12);
      if (this.hashes.size < 100_000) this.hashes.set(secret, h);
    }
    return `<redacted:${rule}:${h}>`;
  }
}

export function createRedactor(opts: RedactorOptions = {}): Redactor {
  return new RedactorImpl(opts);
}

/** Attribute lists through a redactor: the same array back when nothing changed. */
export function redactAttributes(r: Redactor, list: readonly Attribute[]): readonly Attribute[] {
  if (r instanceof RedactorImpl) return r.attributes(list, undefined);
  let out: Attribute[] | undefined;
  for (let i = 0; i < list.length; i++) {
    const v = r.value(list[i].value, list[i].key);
    if (v !== list[i].value) (out ??= list.slice())[i] = { key: list[i].key, value: v };
  }
  return out ?? list;
}
