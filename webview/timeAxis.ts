// The time axis above the bars and the matching grid lines behind them. Owns the zoom-range
// drag: on the axis itself, or on the bars with Shift held (the view forwards those drags here).
import { el } from './dom';
import { axisTicks, formatDuration } from './format';

/** Pixels between tick labels we aim for; keeps labels like "12.5 ms" from colliding. */
const TICK_SPACING_PX = 96;
/** A drag narrower than this is a click, not a range. */
const MIN_DRAG_PX = 4;

export class TimeAxis {
  readonly axisEl: HTMLDivElement;
  readonly gridEl: HTMLDivElement;
  private readonly labels: HTMLSpanElement[] = [];
  private readonly lines: HTMLSpanElement[] = [];
  private readonly axisSel: HTMLDivElement;
  private readonly gridSel: HTMLDivElement;
  private startNs = 0;
  private endNs = 1;
  /** Axis width from the ResizeObserver; reading clientWidth here would force a layout. */
  private width = 0;

  constructor(private readonly onRangeSelected: (startNs: number, endNs: number) => void) {
    this.axisEl = el('div', 'sl-axis');
    this.axisEl.title = 'Drag to zoom into a time range (or Shift+drag on the bars)';
    this.gridEl = el('div', 'sl-grid');
    this.axisSel = el('div', 'sl-zoomsel');
    this.gridSel = el('div', 'sl-zoomsel');
    this.axisSel.hidden = this.gridSel.hidden = true;
    this.axisEl.appendChild(this.axisSel);
    this.gridEl.appendChild(this.gridSel);
    this.axisEl.addEventListener('pointerdown', (e) => {
      if (e.button === 0) this.beginDrag(e, this.axisEl);
    });
    new ResizeObserver((entries) => {
      const w = entries[entries.length - 1].contentRect.width;
      if (w !== this.width) {
        this.width = w;
        this.draw();
      }
    }).observe(this.axisEl);
  }

  setRange(startNs: number, endNs: number): void {
    this.startNs = startNs;
    this.endNs = Math.max(endNs, startNs + 1);
    this.draw();
  }

  /** Re-lays out the ticks, e.g. after a resize. */
  draw(): void {
    const width = this.width || 600;
    const { ticks } = axisTicks(this.startNs, this.endNs, Math.max(1, Math.floor(width / TICK_SPACING_PX)));
    const range = this.endNs - this.startNs;
    for (let i = 0; i < Math.max(ticks.length, this.labels.length); i++) {
      if (i >= ticks.length) {
        this.labels[i].hidden = true;
        this.lines[i].hidden = true;
        continue;
      }
      if (!this.labels[i]) {
        this.labels.push(this.axisEl.appendChild(el('span', 'sl-tick')));
        this.lines.push(this.gridEl.appendChild(el('span', 'sl-gridline')));
      }
      const pct = ((ticks[i] - this.startNs) / range) * 100;
      const label = this.labels[i];
      label.hidden = false;
      label.textContent = ticks[i] === 0 ? '0' : formatDuration(ticks[i]);
      label.style.left = `${pct}%`;
      // A label too close to the right edge would be cut off: keep just its grid line.
      label.classList.toggle('nolabel', (pct / 100) * width > width - 56);
      this.lines[i].hidden = false;
      this.lines[i].style.left = `${pct}%`;
    }
  }

  private nsAt(clientX: number): number {
    const rect = this.axisEl.getBoundingClientRect();
    const f = Math.min(1, Math.max(0, (clientX - rect.left) / Math.max(1, rect.width)));
    return this.startNs + f * (this.endNs - this.startNs);
  }

  /** Tracks a drag from `event` until the pointer is released and reports the range. */
  beginDrag(event: PointerEvent, captureEl: HTMLElement): void {
    event.preventDefault();
    const rect = this.axisEl.getBoundingClientRect();
    const x0 = Math.min(Math.max(event.clientX, rect.left), rect.right);
    captureEl.setPointerCapture(event.pointerId);
    const show = (x1: number) => {
      const left = ((Math.min(x0, x1) - rect.left) / rect.width) * 100;
      const width = (Math.abs(x1 - x0) / rect.width) * 100;
      for (const s of [this.axisSel, this.gridSel]) {
        s.hidden = false;
        s.style.left = `${left}%`;
        s.style.width = `${width}%`;
      }
    };
    const move = (e: PointerEvent) => show(Math.min(Math.max(e.clientX, rect.left), rect.right));
    const end = (e: PointerEvent) => {
      captureEl.removeEventListener('pointermove', move);
      captureEl.removeEventListener('pointerup', end);
      captureEl.removeEventListener('pointercancel', end);
      this.axisSel.hidden = this.gridSel.hidden = true;
      const x1 = Math.min(Math.max(e.clientX, rect.left), rect.right);
      if (e.type === 'pointerup' && Math.abs(x1 - x0) >= MIN_DRAG_PX) {
        const a = this.nsAt(Math.min(x0, x1));
        const b = this.nsAt(Math.max(x0, x1));
        this.onRangeSelected(a, b);
      }
    };
    captureEl.addEventListener('pointermove', move);
    captureEl.addEventListener('pointerup', end);
    captureEl.addEventListener('pointercancel', end);
  }
}
