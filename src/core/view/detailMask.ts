// Masking on screen: which values of the detail pane a redaction rule matches, their masked text and
// the rules that matched. Decided here, in the worker, with the same rules as every export; the DTO
// keeps the original next to the masked text so the pane's Reveal needs no round trip.
import { attrType, formatAttrValue } from '../model/attributes';
import type { AttrValue, Attribute, Attributes } from '../model/model';
import type { AttributeDto, MaskedDto } from '../../shared/protocol';

/** The part of a redactor (../redaction) masking on screen needs; one per span detail, since it counts. */
export interface ScreenMask {
  value(v: AttrValue, key?: string): AttrValue;
  match(v: string, key?: string): { masked: string; rules: readonly string[] } | undefined;
  readonly counts: ReadonlyMap<string, number>;
}

/**
 * The attribute with its matched parts masked, or undefined when no rule matches. It goes through
 * the redactor's own walk (value()), so the screen masks exactly what an export redacts (a secret
 * key's nested list included); the rules are those whose count grew.
 */
export function maskedAttributeDto(mask: ScreenMask, a: Attribute): AttributeDto | undefined {
  const before = new Map(mask.counts);
  const masked = mask.value(a.value, a.key);
  if (masked === a.value) return undefined;
  const rules = [...mask.counts].filter(([rule, n]) => n > (before.get(rule) ?? 0)).map(([rule]) => rule);
  return { key: a.key, value: formatAttrValue(masked), type: attrType(a.value), masked: { original: formatAttrValue(a.value), rules } };
}

/** A free text (a status or exception message) masked, or undefined when no rule matches. */
export function maskedText(mask: ScreenMask, text: string, key?: string): { text: string; masked: MaskedDto } | undefined {
  const m = mask.match(text, key);
  return m ? { text: m.masked, masked: { original: text, rules: [...m.rules] } } : undefined;
}

/** Attributes as the detail pane shows them, masked where a rule matches (mask given). */
export function toAttributeDtos(attrs: Attributes, mask?: ScreenMask): AttributeDto[] {
  return attrs.map((a) => (mask && maskedAttributeDto(mask, a)) || { key: a.key, value: formatAttrValue(a.value), type: attrType(a.value) });
}
