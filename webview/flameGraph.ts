// The flame graph of one trace, drawn on a <canvas> from the same WaterfallDto as the waterfall
// (TraceRows wraps it; no second copy). Spans stack by depth (root on top), x is the start offset,
// width the duration. A canvas keeps 100k spans cheap: only bars wider than half a pixel inside the
// window are drawn (flameLayout.ts decides which). Text goes on the canvas with fillText and into
// the tooltip with textContent, never as markup.
import { RowFlag } from '../src/shared/protocol';
import { el } from './dom';
import { axisTicks, displayText, formatDuration, formatOffset } from './format';
import {
  BarList,
  clampRange,
  depthAtY,
  fitLabel,
  fullRange,
  hitTest,
  isFull,
  layoutBars,
  panBy,
  selfTimeNs,
  textColorFor,
  zoomAround,
  type TimeRange,
} from './flameLayout';
import { PALETTE_SIZE } from './palette';
import type { TraceRows } from './treeModel';

const ROW_PX = 20;
const BAR_PX = 18;
const HEADER_PX = 20;
const TICK_SPACING_PX = 110;
const LABEL_MIN_PX = 28;
const CRIT_PX = 3;
/** Wheel delta (px) that doubles or halves the window. */
const WHEEL_PX_PER_DOUBLING = 300;
const KEY_ZOOM = 0.7;
const KEY_PAN_FRAC = 0.15;
/** A press that moves less than this is a click, not a drag. */
const DRAG_PX = 3;

export interface FlameCallbacks {
  /** A bar was clicked: select that row (the same path as a waterfall click). */
  onSelect(row: number): void;
  /** Enter or double click: go to source. */
  onActivate(row: number): void;
  /** Zoom or scroll changed: persisted state is stale. */
  onViewChange(): void;
}

interface Colors {
  service: string[];
  text: string[];
  bg: string;
  fg: string;
  muted: string;
  grid: string;
  error: string;
  focus: string;
  font: string;
  charPx: number;
}

export class FlameGraph {
  readonly root: HTMLDivElement;
  readonly canvas: HTMLCanvasElement;
  private readonly tip: HTMLDivElement;
  private rows: TraceRows | null = null;
  private full: TimeRange = { start: 0, end: 1 };
  private view: TimeRange = { start: 0, end: 1 };
  private top = 0;
  private selected = -1;
  private hover = -1;
  /** While searching: 1 for the rows that match; the others are drawn faded. */
  private matches: Uint8Array | null = null;
  private readonly bars = new BarList();
  private widthPx = 0;
  private heightPx = 0;
  private dpr = 1;
  private colors: Colors | null = null;
  private frame = 0;
  private active = false;
  /** Time of the last draw (layout + canvas calls), ms; for the benchmark. */
  lastDrawMs = 0;

  constructor(private readonly cb: FlameCallbacks) {
    this.root = el('div', 'sl-flame');
    this.root.hidden = true;
    this.canvas = el('canvas', 'sl-flame-canvas');
    this.canvas.id = 'sl-flame-canvas';
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute(
      'aria-label',
      'Flame graph of the trace. Wheel or + and - to zoom, drag or arrow keys to pan, 0 to reset, click a bar to select its span.',
    );
    this.tip = el('div', 'sl-flame-tip');
    this.tip.id = 'sl-flame-tip';
    this.tip.hidden = true;
    this.tip.setAttribute('role', 'tooltip');
    this.root.append(this.canvas, this.tip);
    new ResizeObserver((entries) => {
      const r = entries[entries.length - 1].contentRect;
      if (r.width === this.widthPx && r.height === this.heightPx) return;
      this.widthPx = r.width;
      this.heightPx = r.height;
      this.draw();
    }).observe(this.root);
    // The theme changes by swapping the body's classes and the CSS variables VS Code sets on the
    // root element's style: read the colours again.
    const themeObserver = new MutationObserver(() => {
      this.colors = null;
      this.requestDraw();
    });
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'style', 'data-vscode-theme-kind'] });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
    this.installPointer();
    this.canvas.addEventListener('keydown', (e) => this.onKey(e));
    this.canvas.addEventListener('blur', () => this.hideTip());
  }

  // -------------------------------------------------------------------------------------------
  // State

  setTrace(rows: TraceRows): void {
    this.rows = rows;
    this.full = fullRange(rows.dto, rows.count);
    this.view = this.full;
    this.top = 0;
    this.selected = -1;
    this.hover = -1;
    this.matches = null;
    this.hideTip();
    if (this.active) this.draw();
  }

  /** Shown or hidden (the other view is on): a hidden canvas is not drawn. */
  setActive(active: boolean): void {
    this.active = active;
    this.root.hidden = !active;
    if (active) {
      // Read the size now: the ResizeObserver reports only after the next layout.
      const r = this.root.getBoundingClientRect();
      this.widthPx = r.width;
      this.heightPx = r.height;
      this.draw();
    } else this.hideTip();
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Marks the selected row; with `reveal`, scrolls and pans so its bar is on screen. */
  setSelected(row: number, reveal = true): void {
    this.selected = row;
    if (reveal && this.rows && row >= 0 && row < this.rows.count) this.reveal(row);
    this.requestDraw();
  }

  /** The search's matches (the waterfall's RowFilter.isMatch), or null when not searching. */
  setMatches(isMatch: Uint8Array | null): void {
    this.matches = isMatch;
    this.requestDraw();
  }

  get zoom(): [number, number] | null {
    return isFull(this.view, this.full) ? null : [this.view.start, this.view.end];
  }

  setZoom(startNs: number, endNs: number): void {
    this.setView(clampRange({ start: Math.min(startNs, endNs), end: Math.max(startNs, endNs) }, this.full));
  }

  resetZoom(): void {
    this.setView(this.full);
  }

  get scrollTop(): number {
    return this.top;
  }

  set scrollTop(v: number) {
    this.setTop(v);
  }

  focus(): void {
    this.canvas.focus({ preventScroll: true });
  }

  private setView(v: TimeRange): void {
    if (v.start === this.view.start && v.end === this.view.end) return;
    this.view = v;
    this.hideTip();
    this.requestDraw();
    this.cb.onViewChange();
  }

  private setTop(v: number): void {
    const t = Math.max(0, Math.min(this.maxTop(), Math.round(v)));
    if (t === this.top) return;
    this.top = t;
    this.requestDraw();
    this.cb.onViewChange();
  }

  private maxTop(): number {
    const levels = (this.rows?.maxDepth ?? 0) + 1;
    return Math.max(0, HEADER_PX + levels * ROW_PX - this.heightPx);
  }

  private reveal(row: number): void {
    const dto = this.rows!.dto;
    const s = dto.startNs[row];
    const e = s + Math.max(0, dto.durationNsByRow[row]);
    const w = this.view.end - this.view.start;
    // Only a bar wholly outside the window moves it (never a zoom-out: the user chose the zoom).
    if (e <= this.view.start || s >= this.view.end) this.setView(panBy(this.view, this.full, (s + e) / 2 - (this.view.start + w / 2)));
    const y = dto.depth[row] * ROW_PX;
    const inner = this.heightPx - HEADER_PX;
    if (y < this.top || y + ROW_PX > this.top + inner) this.setTop(y - inner / 2);
  }

  // -------------------------------------------------------------------------------------------
  // Drawing

  requestDraw(): void {
    if (this.frame || !this.active) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws now (the benchmark and the first frame of a trace call this directly). */
  draw(): void {
    if (!this.active || this.widthPx <= 0 || this.heightPx <= 0) return;
    const t0 = performance.now();
    if (this.frame) {
      cancelAnimationFrame(this.frame);
      this.frame = 0;
    }
    const dpr = window.devicePixelRatio || 1;
    const w = this.widthPx;
    const h = this.heightPx;
    // HiDPI: the backing store has device pixels, drawing stays in CSS pixels.
    const bw = Math.max(1, Math.round(w * dpr));
    const bh = Math.max(1, Math.round(h * dpr));
    if (this.canvas.width !== bw || this.canvas.height !== bh || this.dpr !== dpr) {
      this.canvas.width = bw;
      this.canvas.height = bh;
      this.dpr = dpr;
    }
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const c = (this.colors ??= this.readColors(ctx));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, w, h);
    const rows = this.rows;
    if (rows) {
      this.top = Math.min(this.top, this.maxTop());
      const firstDepth = Math.floor(this.top / ROW_PX);
      const lastDepth = Math.floor((this.top + h - HEADER_PX) / ROW_PX);
      layoutBars(rows.dto, rows.count, { view: this.view, widthPx: w, firstDepth, lastDepth }, this.bars);
      this.drawGrid(ctx, c, w, h);
      this.drawBars(ctx, c, rows);
    }
    this.drawAxis(ctx, c, w);
    this.lastDrawMs = performance.now() - t0;
  }

  private barY(depth: number): number {
    return HEADER_PX + depth * ROW_PX - this.top;
  }

  private drawBars(ctx: CanvasRenderingContext2D, c: Colors, rows: TraceRows): void {
    const b = this.bars;
    const dto = rows.dto;
    // One pass per palette colour: changing fillStyle per bar is what costs on a canvas. While
    // searching, a second, faded pass draws the rows that do not match.
    const m = this.matches;
    for (const faded of m ? [false, true] : [false]) {
      ctx.globalAlpha = faded ? 0.25 : 1;
      for (let p = 0; p < PALETTE_SIZE; p++) {
        ctx.fillStyle = c.service[p];
        for (let i = 0; i < b.count; i++) {
          const r = b.row[i];
          if (dto.service[r] % PALETTE_SIZE !== p || (m !== null && (m[r] !== 1) !== faded)) continue;
          ctx.fillRect(b.x[i], this.barY(b.depth[i]), b.w[i], BAR_PX);
        }
      }
    }
    ctx.globalAlpha = 1;
    // Merged runs of sub-pixel spans: hatched lightly so they do not read as one long span.
    ctx.fillStyle = c.bg;
    ctx.globalAlpha = 0.35;
    for (let i = 0; i < b.count; i++) if (b.spans[i] > 1) ctx.fillRect(b.x[i], this.barY(b.depth[i]) + BAR_PX / 2, b.w[i], BAR_PX / 2);
    ctx.globalAlpha = 1;

    // Critical path: a band along the bottom of the part of the bar that is on the path.
    const scale = this.widthPx / (this.view.end - this.view.start);
    ctx.fillStyle = c.fg;
    for (let i = 0; i < b.count; i++) {
      if (b.spans[i] > 1) continue;
      const r = b.row[i];
      if (!(dto.flags[r] & RowFlag.CriticalPath)) continue;
      const y = this.barY(b.depth[i]) + BAR_PX - CRIT_PX;
      for (let k = rows.critStart[r]; k < rows.critStart[r + 1]; k++) {
        const x0 = Math.max(b.x[i], (rows.critStartNs[k] - this.view.start) * scale);
        const x1 = Math.min(b.x[i] + b.w[i], (rows.critEndNs[k] - this.view.start) * scale);
        if (x1 > x0) ctx.fillRect(x0, y, Math.max(1, x1 - x0), CRIT_PX);
      }
    }

    // Errors: a red outline and a notch at the start, visible even on a 1 px bar.
    ctx.strokeStyle = c.error;
    ctx.fillStyle = c.error;
    ctx.lineWidth = 1.5;
    for (let i = 0; i < b.count; i++) {
      if (b.spans[i] > 1 || !(dto.flags[b.row[i]] & RowFlag.Error)) continue;
      const y = this.barY(b.depth[i]);
      if (b.w[i] >= 3) ctx.strokeRect(b.x[i] + 0.75, y + 0.75, b.w[i] - 1.5, BAR_PX - 1.5);
      ctx.fillRect(b.x[i], y, Math.min(5, Math.max(2, b.w[i])), 4);
    }

    // Names, where they fit. Concurrent siblings overlap at one level: a label starts after the
    // previous label of its level so that texts never run into each other.
    ctx.font = c.font;
    ctx.textBaseline = 'middle';
    const labelEnd = new Map<number, number>();
    for (let i = 0; i < b.count; i++) {
      if (b.spans[i] > 1 || b.w[i] < LABEL_MIN_PX) continue;
      const d = b.depth[i];
      const x = Math.max(0, b.x[i], labelEnd.get(d) ?? -Infinity);
      const room = Math.min(b.x[i] + b.w[i], this.widthPx) - x - 8;
      const label = fitLabel(displayText(rows.name(b.row[i])), Math.floor(room / c.charPx));
      if (!label) continue;
      ctx.fillStyle = c.text[dto.service[b.row[i]] % PALETTE_SIZE];
      ctx.fillText(label, x + 4, this.barY(d) + BAR_PX / 2 + 0.5);
      labelEnd.set(d, x + 8 + label.length * c.charPx);
    }

    // Hover and selection outlines last, on top.
    for (const [row, color, width] of [
      [this.hover, c.muted, 1],
      [this.selected, c.focus, 2],
    ] as const) {
      if (row < 0) continue;
      const i = this.barIndexOfRow(row);
      if (i < 0) continue;
      ctx.strokeStyle = color;
      ctx.lineWidth = width;
      ctx.strokeRect(b.x[i] + width / 2, this.barY(b.depth[i]) + width / 2, Math.max(1, b.w[i] - width), BAR_PX - width);
    }
  }

  private barIndexOfRow(row: number): number {
    const b = this.bars;
    for (let i = 0; i < b.count; i++) if (b.row[i] === row && b.spans[i] === 1) return i;
    return -1;
  }

  private drawGrid(ctx: CanvasRenderingContext2D, c: Colors, w: number, h: number): void {
    const { ticks } = axisTicks(this.view.start, this.view.end, Math.max(1, Math.floor(w / TICK_SPACING_PX)));
    const scale = w / (this.view.end - this.view.start);
    ctx.fillStyle = c.grid;
    for (const t of ticks) ctx.fillRect(Math.round((t - this.view.start) * scale), HEADER_PX, 1, h - HEADER_PX);
  }

  private drawAxis(ctx: CanvasRenderingContext2D, c: Colors, w: number): void {
    ctx.fillStyle = c.bg;
    ctx.fillRect(0, 0, w, HEADER_PX);
    const { ticks } = axisTicks(this.view.start, this.view.end, Math.max(1, Math.floor(w / TICK_SPACING_PX)));
    const scale = w / (this.view.end - this.view.start);
    ctx.font = c.font;
    ctx.textBaseline = 'middle';
    for (const t of ticks) {
      const x = Math.round((t - this.view.start) * scale);
      ctx.fillStyle = c.grid;
      ctx.fillRect(x, 0, 1, HEADER_PX);
      if (x > w - 60) continue;
      ctx.fillStyle = c.muted;
      ctx.fillText(t === 0 ? '0' : formatDuration(t), x + 3, HEADER_PX / 2);
    }
    ctx.fillStyle = c.grid;
    ctx.fillRect(0, HEADER_PX - 1, w, 1);
  }

  /** Theme colours from VS Code's CSS variables, and the service palette from styles.css. */
  private readColors(ctx: CanvasRenderingContext2D): Colors {
    const cs = getComputedStyle(document.body);
    const v = (name: string, fallback: string) => cs.getPropertyValue(name).trim() || fallback;
    const bg = v('--vscode-editor-background', '#1e1e1e');
    const fg = v('--vscode-editor-foreground', '#d4d4d4');
    const service: string[] = [];
    const text: string[] = [];
    for (let p = 0; p < PALETTE_SIZE; p++) {
      const col = v(`--sl-c${p}`, '#4fa3f7');
      service.push(col);
      text.push(textColorFor(col));
    }
    const family = v('--vscode-font-family', 'sans-serif');
    const size = v('--vscode-font-size', '12px');
    const font = `${Math.min(12, parseFloat(size) || 12)}px ${family}`;
    ctx.font = font;
    const charPx = Math.max(4, ctx.measureText('abcdefghijklmnopqrstuvwxyz0123456789./_').width / 39);
    return {
      service,
      text,
      bg,
      fg,
      muted: v('--vscode-descriptionForeground', fg),
      grid: v('--vscode-editorIndentGuide-background1', v('--vscode-panel-border', 'rgba(128,128,128,0.25)')),
      error: v('--vscode-errorForeground', '#f14c4c'),
      focus: v('--vscode-focusBorder', '#007fd4'),
      font,
      charPx,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Tooltip

  private showTip(i: number, clientX: number, clientY: number): void {
    const rows = this.rows;
    if (!rows) return;
    const b = this.bars;
    const r = b.row[i];
    const dto = rows.dto;
    const tip = this.tip;
    while (tip.firstChild) tip.removeChild(tip.firstChild);
    const line = (label: string, value: string, cls?: string) => {
      const d = el('div', cls);
      d.append(el('span', 'sl-flame-tip-k', label), el('span', undefined, value));
      tip.appendChild(d);
    };
    if (b.spans[i] > 1) {
      tip.appendChild(el('div', 'sl-flame-tip-name', `${b.spans[i].toLocaleString('en-US')} spans`));
      tip.appendChild(el('div', 'sl-muted', 'Each narrower than half a pixel here: zoom in to see them.'));
    } else {
      tip.appendChild(el('div', 'sl-flame-tip-name', displayText(rows.name(r)) || '(no name)'));
      line('Service', displayText(dto.services[dto.service[r]] ?? '') || '(unknown)');
      line('Duration', formatDuration(dto.durationNsByRow[r]));
      line('Self time', formatDuration(selfTimeNs(dto, rows.count, r)));
      line('Start', formatOffset(dto.startNs[r]));
      if (dto.flags[r] & RowFlag.Error) line('Status', 'Error', 'sl-flame-tip-error');
      if (dto.flags[r] & RowFlag.CriticalPath) line('Critical path', 'yes');
    }
    tip.hidden = false;
    // Beside the pointer, flipped to stay inside the view.
    const box = this.root.getBoundingClientRect();
    const tw = tip.offsetWidth;
    const th = tip.offsetHeight;
    let x = clientX - box.left + 14;
    let y = clientY - box.top + 14;
    if (x + tw > box.width) x = Math.max(0, clientX - box.left - tw - 10);
    if (y + th > box.height) y = Math.max(0, clientY - box.top - th - 10);
    tip.style.left = `${x}px`;
    tip.style.top = `${y}px`;
  }

  private hideTip(): void {
    this.tip.hidden = true;
    if (this.hover >= 0) {
      this.hover = -1;
      this.requestDraw();
    }
  }

  // -------------------------------------------------------------------------------------------
  // Input

  private barAt(clientX: number, clientY: number): number {
    const rect = this.canvas.getBoundingClientRect();
    const y = clientY - rect.top;
    if (y < HEADER_PX) return -1;
    const d = depthAtY(y, HEADER_PX, ROW_PX, this.top);
    // The gap between levels belongs to no bar.
    if (d < 0 || (y - HEADER_PX + this.top) % ROW_PX > BAR_PX) return -1;
    return hitTest(this.bars, clientX - rect.left, d);
  }

  private installPointer(): void {
    const cv = this.canvas;
    let drag: { id: number; x: number; y: number; view: TimeRange; top: number; moved: boolean } | null = null;
    cv.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      cv.focus({ preventScroll: true });
      drag = { id: e.pointerId, x: e.clientX, y: e.clientY, view: this.view, top: this.top, moved: false };
      cv.setPointerCapture(e.pointerId);
    });
    cv.addEventListener('pointermove', (e) => {
      if (drag && drag.id === e.pointerId) {
        const dx = e.clientX - drag.x;
        const dy = e.clientY - drag.y;
        if (!drag.moved && Math.hypot(dx, dy) < DRAG_PX) return;
        if (!drag.moved) cv.classList.add('dragging');
        drag.moved = true;
        this.tip.hidden = true;
        const nsPerPx = (drag.view.end - drag.view.start) / Math.max(1, this.widthPx);
        this.setView(panBy(drag.view, this.full, -dx * nsPerPx));
        this.setTop(drag.top - dy);
        return;
      }
      const i = this.barAt(e.clientX, e.clientY);
      const row = i >= 0 && this.bars.spans[i] === 1 ? this.bars.row[i] : -1;
      if (row !== this.hover) {
        this.hover = row;
        this.requestDraw();
      }
      if (i >= 0) this.showTip(i, e.clientX, e.clientY);
      else this.tip.hidden = true;
    });
    const end = (e: PointerEvent) => {
      if (!drag || drag.id !== e.pointerId) return;
      const clicked = !drag.moved && e.type === 'pointerup';
      drag = null;
      cv.classList.remove('dragging');
      if (!clicked) return;
      const i = this.barAt(e.clientX, e.clientY);
      if (i < 0) return;
      if (this.bars.spans[i] > 1) {
        // A merged run: zoom to it instead, so its spans become clickable.
        const scale = (this.view.end - this.view.start) / this.widthPx;
        const s = this.view.start + this.bars.x[i] * scale;
        this.setView(clampRange({ start: s, end: s + Math.max(1, this.bars.w[i]) * scale }, this.full));
        return;
      }
      this.cb.onSelect(this.bars.row[i]);
    };
    cv.addEventListener('pointerup', end);
    cv.addEventListener('pointercancel', end);
    cv.addEventListener('pointerleave', () => {
      if (!drag) this.hideTip();
    });
    cv.addEventListener('dblclick', (e) => {
      const i = this.barAt(e.clientX, e.clientY);
      if (i >= 0 && this.bars.spans[i] === 1) this.cb.onActivate(this.bars.row[i]);
    });
    cv.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const px = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? this.heightPx : 1;
        if (e.shiftKey) {
          this.setTop(this.top + (e.deltaY || e.deltaX) * px);
          return;
        }
        if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
          const nsPerPx = (this.view.end - this.view.start) / Math.max(1, this.widthPx);
          this.setView(panBy(this.view, this.full, e.deltaX * px * nsPerPx));
          return;
        }
        const rect = cv.getBoundingClientRect();
        const factor = Math.pow(2, (e.deltaY * px) / WHEEL_PX_PER_DOUBLING);
        this.setView(zoomAround(this.view, this.full, factor, (e.clientX - rect.left) / Math.max(1, rect.width)));
      },
      { passive: false },
    );
  }

  private onKey(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const w = this.view.end - this.view.start;
    // Keyboard zoom centres on the selected bar when it is on screen, else on the middle.
    const anchor = () => {
      const i = this.selected >= 0 ? this.barIndexOfRow(this.selected) : -1;
      return i >= 0 ? (this.bars.x[i] + this.bars.w[i] / 2) / Math.max(1, this.widthPx) : 0.5;
    };
    switch (e.key) {
      case '+':
      case '=':
        this.setView(zoomAround(this.view, this.full, KEY_ZOOM, anchor()));
        break;
      case '-':
      case '_':
        this.setView(zoomAround(this.view, this.full, 1 / KEY_ZOOM, anchor()));
        break;
      case '0':
        this.resetZoom();
        break;
      case 'ArrowLeft':
        this.setView(panBy(this.view, this.full, -w * KEY_PAN_FRAC));
        break;
      case 'ArrowRight':
        this.setView(panBy(this.view, this.full, w * KEY_PAN_FRAC));
        break;
      case 'ArrowUp':
        this.setTop(this.top - ROW_PX);
        break;
      case 'ArrowDown':
        this.setTop(this.top + ROW_PX);
        break;
      case 'Enter':
        if (this.selected >= 0) this.cb.onActivate(this.selected);
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  // -------------------------------------------------------------------------------------------
  // Test and benchmark hooks

  /** The last frame: its draw time (layout + canvas calls, before the raster) and what it drew. */
  stats(): { lastDrawMs: number; bars: number; mergedRuns: number; widthPx: number; heightPx: number } {
    let merged = 0;
    for (let i = 0; i < this.bars.count; i++) if (this.bars.spans[i] > 1) merged++;
    return { lastDrawMs: this.lastDrawMs, bars: this.bars.count, mergedRuns: merged, widthPx: this.widthPx, heightPx: this.heightPx };
  }

  /** The single-span bars of the last frame, in CSS px relative to the canvas (for UI checks). */
  drawnBars(): { row: number; spanIndex: number; name: string; x: number; y: number; w: number; h: number }[] {
    const rows = this.rows;
    const b = this.bars;
    const out = [];
    if (!rows) return [];
    for (let i = 0; i < b.count; i++) {
      if (b.spans[i] > 1) continue;
      const r = b.row[i];
      out.push({ row: r, spanIndex: rows.dto.spanIndex[r], name: rows.name(r), x: b.x[i], y: this.barY(b.depth[i]), w: b.w[i], h: BAR_PX });
    }
    return out;
  }

  /**
   * Zooms in (then out) `frames` steps around one point, one redraw per animation frame; returns
   * each frame's main-thread time from the redraw's start until after that frame was painted.
   */
  async zoomBench(frames: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < frames; i++) {
      const t0 = await new Promise<number>((resolve) =>
        requestAnimationFrame(() => {
          const start = performance.now();
          const f = i < frames / 2 ? 0.85 : 1 / 0.85;
          this.view = zoomAround(this.view, this.full, f, 0.37);
          this.draw();
          resolve(start);
        }),
      );
      await new Promise<void>((resolve) => {
        const ch = new MessageChannel();
        ch.port1.onmessage = () => {
          ch.port1.close();
          resolve();
        };
        ch.port2.postMessage(0);
      });
      out.push(performance.now() - t0);
    }
    return out;
  }
}
