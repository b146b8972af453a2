// A virtualised list of fixed-height rows: only the rows in (and just around) the viewport exist
// in the DOM. Row elements are keyed by list index while they stay on screen and recycled when they
// leave, so a small scroll touches only the rows that enter; positions use transforms, which do
// not trigger layout of the other rows.

/** Browsers cap element heights (~33M px in Chromium); past this the scroll range is scaled. */
const MAX_SCROLL_PX = 8_000_000;

export interface RowView {
  readonly el: HTMLElement;
}

export interface VirtualListOptions<V extends RowView> {
  readonly scroller: HTMLElement;
  readonly rowHeight: number;
  readonly createRow: () => V;
  /** Fill a row view for list index `index`. Called when the row enters or after invalidate(). */
  readonly updateRow: (view: V, index: number) => void;
  /** A row view goes unused (hidden in the pool): drop what would make it look like a live row. */
  readonly releaseRow?: (view: V) => void;
  readonly overscan?: number;
  /** Called after each render (the owner saves its scroll position). */
  readonly onRender?: () => void;
}

export class VirtualList<V extends RowView> {
  readonly canvas: HTMLElement;
  private count = 0;
  private readonly active = new Map<number, V>();
  private readonly free: V[] = [];
  private readonly rowHeight: number;
  private readonly overscan: number;
  private viewportHeight = 0;
  /** Mirror of scroller.scrollTop, so rendering never forces a synchronous layout to read it. */
  private scrollTopPx = 0;
  private offsetPx = 0;
  private version = 1;
  private rowVersion = new WeakMap<V, number>();

  constructor(private readonly opts: VirtualListOptions<V>) {
    this.rowHeight = opts.rowHeight;
    this.overscan = opts.overscan ?? 6;
    this.canvas = document.createElement('div');
    this.canvas.className = 'sl-vcanvas';
    opts.scroller.appendChild(this.canvas);
    opts.scroller.addEventListener(
      'scroll',
      () => {
        this.scrollTopPx = opts.scroller.scrollTop;
        this.render();
      },
      { passive: true },
    );
    new ResizeObserver((entries) => {
      const h = entries[entries.length - 1].contentRect.height;
      if (h === this.viewportHeight) return;
      this.viewportHeight = h;
      this.render();
    }).observe(opts.scroller);
  }

  get length(): number {
    return this.count;
  }

  /** Sets the number of rows; all row content is considered stale. */
  setCount(count: number): void {
    this.count = count;
    const total = count * this.rowHeight;
    this.canvas.style.height = `${Math.min(total, MAX_SCROLL_PX)}px`;
    // A shorter list clamps the scroll position; mirror what the browser will do.
    const max = Math.max(0, this.canvasHeight() - this.viewportHeight);
    if (this.viewportHeight > 0 && this.scrollTopPx > max) this.scrollTop = max;
    this.invalidate();
  }

  /** Marks every row's content stale; visible rows are refreshed now. */
  invalidate(): void {
    this.version++;
    this.render();
  }

  private get scaled(): boolean {
    return this.count * this.rowHeight > MAX_SCROLL_PX;
  }

  /** Viewport height as last reported by the ResizeObserver (a guess until it first reports). */
  private viewport(): number {
    return this.viewportHeight > 0 ? this.viewportHeight : 1000;
  }

  private canvasHeight(): number {
    return Math.min(this.count * this.rowHeight, MAX_SCROLL_PX);
  }

  /** Pixel offset of the viewport top in the unscaled list. */
  private virtualTop(): number {
    const st = this.scrollTopPx;
    if (!this.scaled) return st;
    const vh = this.viewport();
    const room = MAX_SCROLL_PX - vh;
    return room > 0 ? (st / room) * (this.count * this.rowHeight - vh) : 0;
  }

  private scrollTopFor(virtualTop: number): number {
    if (!this.scaled) return virtualTop;
    const vh = this.viewport();
    const full = this.count * this.rowHeight - vh;
    return full > 0 ? (virtualTop / full) * (MAX_SCROLL_PX - vh) : 0;
  }

  firstVisibleIndex(): number {
    return Math.min(Math.max(0, Math.floor(this.virtualTop() / this.rowHeight)), Math.max(0, this.count - 1));
  }

  /** Rows that fit fully in the viewport. */
  pageSize(): number {
    return Math.max(1, Math.floor(this.viewport() / this.rowHeight));
  }

  /** Scrolls so that `index` is visible; `center` puts it mid-viewport when it is off screen. */
  scrollToIndex(index: number, align: 'nearest' | 'center' | 'top' = 'nearest'): void {
    if (index < 0 || index >= this.count) return;
    const vh = this.viewport();
    const top = this.virtualTop();
    const y = index * this.rowHeight;
    let target = top;
    if (align === 'top') target = y;
    else if (y < top || y + this.rowHeight > top + vh) {
      if (align === 'center') target = y - (vh - this.rowHeight) / 2;
      else target = y < top ? y : y + this.rowHeight - vh;
    }
    target = Math.max(0, Math.min(target, this.count * this.rowHeight - vh));
    if (target !== top) this.scrollTop = this.scrollTopFor(target);
  }

  get scrollTop(): number {
    return this.scrollTopPx;
  }

  set scrollTop(v: number) {
    const max = Math.max(0, this.canvasHeight() - (this.viewportHeight || 0));
    const top = Math.max(0, Math.min(Number.isFinite(v) ? v : 0, this.viewportHeight ? max : v));
    // Writing scrollTop forces a layout, so skip it when nothing would change.
    if (top !== this.scrollTopPx) {
      this.scrollTopPx = top;
      this.opts.scroller.scrollTop = top;
    }
    this.render();
  }

  /** Brings the DOM in line with the scroll position. Cheap when nothing changed. */
  render(): void {
    const vh = this.viewport();
    const top = this.virtualTop();
    const first = Math.max(0, Math.floor(top / this.rowHeight) - this.overscan);
    const last = Math.min(this.count - 1, Math.ceil((top + vh) / this.rowHeight) + this.overscan);
    // In scaled mode rows sit relative to the real scrollTop, so every row moves with it.
    const offset = this.scaled ? top - this.scrollTopPx : 0;
    const moved = offset !== this.offsetPx;
    this.offsetPx = offset;

    for (const [i, v] of this.active) {
      if (i < first || i > last) {
        this.active.delete(i);
        this.free.push(v);
      }
    }
    for (let i = first; i <= last; i++) {
      let v = this.active.get(i);
      const fresh = !v;
      if (!v) {
        v = this.free.pop() ?? this.createRow();
        this.active.set(i, v);
      }
      if (fresh || moved) v.el.style.transform = `translateY(${i * this.rowHeight - offset}px)`;
      if (fresh || this.rowVersion.get(v) !== this.version) {
        this.opts.updateRow(v, i);
        this.rowVersion.set(v, this.version);
      }
      if (v.el.hidden) v.el.hidden = false;
    }
    for (const v of this.free) {
      if (v.el.hidden) continue;
      v.el.hidden = true;
      this.opts.releaseRow?.(v);
    }
    this.opts.onRender?.();
  }

  private createRow(): V {
    const v = this.opts.createRow();
    this.canvas.appendChild(v.el);
    return v;
  }

  get renderedRowCount(): number {
    return this.active.size;
  }
}
