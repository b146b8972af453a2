// A bounded cache with O(1) operations: two generations, the older dropped wholesale when the
// newer fills up; a hit in the older generation moves the entry forward. An approximate LRU.
// (Evicting a Map's first key one at a time is a trap: deleted entries stay as holes at the
// front until the table is rehashed, so `keys().next()` gets slower with every eviction.)
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  /** Holds between `generation` and 2 × `generation` entries once full. */
  constructor(private readonly generation: number) {}

  get(key: K): V | undefined {
    const v = this.young.get(key);
    if (v !== undefined) return v;
    const o = this.old.get(key);
    if (o !== undefined) {
      this.old.delete(key);
      this.set(key, o);
    }
    return o;
  }

  set(key: K, value: V): void {
    if (this.young.size >= this.generation && !this.young.has(key)) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
  }

  delete(key: K): void {
    this.young.delete(key);
    this.old.delete(key);
  }

  clear(): void {
    this.young.clear();
    this.old.clear();
  }

  get size(): number {
    return this.young.size + this.old.size;
  }

  values(): V[] {
    return [...this.old.values(), ...this.young.values()];
  }
}
