// Which attribute keys name a secret, so that their whole value is redacted whatever it looks like.
//
// Only the key's last dotted segment is judged (the header name in http.request.header.authorization),
// split into words at `_`, `-` and camelCase: `gen_ai.usage.input_tokens` ends in "input_tokens",
// whose words are not the word "token", and `llm.token_count.prompt` ends in "prompt". Count-like
// words (count, limit, type, length…) mark a segment as describing a secret, not holding one.
// Word list from Elastic's sanitize_field_names default (password, passwd, pwd, secret, *key,
// *token*, *session*, *credit*, *card*, authorization, set-cookie) and Datadog's key regex, made
// whole-word so that `messaging.kafka.message.key`, `session.id` and `k8s.secret.name` stay.

export type KeyDecision = 'plain' | 'secret' | 'custom' | 'allow';

/** Single words that make a segment secret. */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'authorization',
  'cookie', 'cookies', 'credential', 'credentials', 'jwt', 'bearer', 'sessionid', 'jsessionid', 'phpsessid',
  'csrftoken', 'xsrftoken', 'privatekey', 'accesskey', 'secretkey', 'cvv', 'cvc', 'cardnumber',
]);

/** Words that are secret only as the last word of a segment (`basic_auth`, `x-auth`, not `auth_method`). */
const TRAILING_WORDS = new Set(['auth', 'pass']);

/** Two-word phrases (joined with a space) that make a segment secret. */
const SECRET_PAIRS = new Set([
  'api key', 'access key', 'private key', 'secret key', 'client key', 'signing key', 'encryption key', 'master key',
  'session key', 'consumer key', 'subscription key', 'session id', 'session token', 'card number', 'credit card', 'cc number',
]);

/** Words that say the segment is about a secret, not the secret itself (token counts and limits). */
const DESCRIPTIVE_WORDS = new Set([
  'count', 'counts', 'usage', 'limit', 'limits', 'length', 'len', 'size', 'total', 'max', 'min', 'budget', 'ttl',
  'expires', 'expiry', 'expiration', 'type', 'kind', 'name', 'names', 'endpoint', 'url', 'uri', 'path', 'file',
  'enabled', 'required', 'present', 'provided', 'method', 'mechanism', 'scheme', 'version', 'policy', 'rotation',
  'prompt', 'completion', 'input', 'output', 'estimate', 'index', 'position', 'logprob', 'logprobs',
]);

/** Words of one key segment: split at separators and lower→upper case changes, lower-cased. */
export function segmentWords(segment: string): string[] {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[\s_\-:/]+/)
    .filter(Boolean);
}

/** Last dotted segment; header attributes keep their full header name. */
function lastSegment(key: string): string {
  const i = key.lastIndexOf('.');
  return i < 0 ? key : key.slice(i + 1);
}

/** Whether a key names a secret by the default word lists. */
export function isSecretKey(key: string): boolean {
  const words = segmentWords(lastSegment(key));
  if (!words.length) return false;
  if (words.some((w) => DESCRIPTIVE_WORDS.has(w))) return false;
  if (TRAILING_WORDS.has(words[words.length - 1])) return true;
  for (let i = 0; i < words.length; i++) {
    if (SECRET_WORDS.has(words[i])) return true;
    if (i + 1 < words.length && SECRET_PAIRS.has(`${words[i]} ${words[i + 1]}`)) return true;
  }
  return false;
}

/**
 * A user key pattern: `*` matches any run of characters, case-insensitively. A pattern without a
 * dot also matches the key's last segment, so `x-tenant` covers http.request.header.x-tenant.
 */
export function keyMatcher(patterns: readonly string[]): (key: string) => boolean {
  if (!patterns.length) return () => false;
  const whole: string[] = [];
  const last: string[] = [];
  for (const p of patterns) {
    const src = p
      .trim()
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*');
    (p.includes('.') ? whole : last).push(src);
  }
  const wholeRe = whole.length ? new RegExp(`^(?:${whole.join('|')})$`, 'i') : undefined;
  const lastRe = last.length ? new RegExp(`^(?:${last.join('|')})$`, 'i') : undefined;
  return (key) => !!(wholeRe?.test(key) || lastRe?.test(key) || lastRe?.test(lastSegment(key)));
}

/** Decides each key once: attribute keys repeat across spans, so the decision is cached per string. */
export class KeyClassifier {
  private readonly cache = new Map<string, KeyDecision>();
  private readonly allowed: (key: string) => boolean;
  private readonly custom: (key: string) => boolean;

  constructor(keys: readonly string[] = [], allow: readonly string[] = []) {
    this.custom = keyMatcher(keys);
    this.allowed = keyMatcher(allow);
  }

  decide(key: string): KeyDecision {
    let d = this.cache.get(key);
    if (d === undefined) {
      d = this.allowed(key) ? 'allow' : this.custom(key) ? 'custom' : isSecretKey(key) ? 'secret' : 'plain';
      // Keys are bounded in practice; a file with millions of distinct keys just stops caching.
      if (this.cache.size < 100_000) this.cache.set(key, d);
    }
    return d;
  }
}
