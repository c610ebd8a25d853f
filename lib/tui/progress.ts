/**
 * Progress lines for file transfers; pure.
 *
 * @module
 */

import { sanitize, truncateToWidth, visibleWidth } from "./style.ts";

/** Narrowest bar worth drawing; with less room the bar is left out. */
export const MIN_BAR_COLUMNS = 3;

/** Widest bar drawn, however wide the terminal. */
export const MAX_BAR_COLUMNS = 40;

/** Longest ETA shown; beyond it the ETA is unknown ("--:--"). */
export const MAX_ETA_MS = 100 * 3600_000;

/** What {@link formatProgress} shows. Byte counts and rate are non-negative numbers. */
export interface Progress {
  /** Usually the file name; cut with "…" when long. */
  label: string;
  done: number;
  /** Expected size; 0 counts as complete. */
  total: number;
  /** Transfer rate; NaN or a negative value means unknown. */
  bytesPerSecond: number;
  /** Columns available; the line never exceeds it. */
  width: number;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/**
 * Formats a byte count with binary units and one decimal: "512 B", "12.3 MiB".
 *
 * @example
 * ```ts
 * formatBytes(1536); // "1.5 KiB"
 * ```
 */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) {
    throw new RangeError(`Cannot format bytes: expected a non-negative number, got ${n}`);
  }
  let value = n;
  let unit = 0;
  for (;;) {
    const text = unit === 0 ? String(Math.round(value)) : value.toFixed(1);
    // Rounding can carry into the next unit ("1024.0 KiB"): move up instead.
    if (Number(text) < 1024 || unit === UNITS.length - 1) return `${text} ${UNITS[unit]}`;
    value /= 1024;
    unit++;
  }
}

/**
 * Formats a rate as "5.2 MiB/s"; an unknown rate (NaN, infinite or negative) as "-- B/s".
 */
export function formatRate(bytesPerSecond: number): string {
  return rateKnown(bytesPerSecond) ? `${formatBytes(bytesPerSecond)}/s` : "-- B/s";
}

/**
 * Formats a duration as "m:ss", or "h:mm:ss" from one hour on, rounding up to the second.
 *
 * @example
 * ```ts
 * formatDuration(7_000); // "0:07"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`Cannot format duration: expected a non-negative number, got ${ms}`);
  }
  const total = Math.ceil(ms / 1000);
  const seconds = String(total % 60).padStart(2, "0");
  const minutes = Math.floor(total / 60) % 60;
  const hours = Math.floor(total / 3600);
  if (hours === 0) return `${minutes}:${seconds}`;
  return `${hours}:${String(minutes).padStart(2, "0")}:${seconds}`;
}

/**
 * Formats one progress line: label, bar, percent, bytes, rate and ETA, e.g.
 * `notes.txt [=======>    ]  61% 39.0 MiB / 64.0 MiB 5.2 MiB/s ETA 0:05`; the result is at
 * most `width` columns. As the width shrinks the figures go compact first
 * (`61% 39.0M/64.0M 5.2M/s 0:05`), then the label is cut (to five columns at least) and the
 * bar narrows (to {@link MIN_BAR_COLUMNS}), so that at 40 columns the percent, sizes, rate and
 * ETA all stay; only narrower than that do the bar, the ETA and the rate go.
 * Progress past the total shows 100%; an unknown rate shows "--" and an unknown ETA.
 */
export function formatProgress(p: Progress): string {
  for (const [name, value] of [["done", p.done], ["total", p.total]] as const) {
    if (!Number.isFinite(value) || value < 0) {
      throw new RangeError(`Cannot format progress: ${name} must be a non-negative number`);
    }
  }
  if (!Number.isFinite(p.width) || p.width < 1) {
    throw new RangeError(`Cannot format progress: width must be at least 1, got ${p.width}`);
  }
  const width = Math.floor(p.width);
  const fraction = p.total > 0 ? Math.min(1, p.done / p.total) : 1;
  const label = sanitize(p.label).replaceAll("\n", " ");
  for (const layout of LAYOUTS) {
    const figures = layout.compact ? compactFigures(p, fraction) : fullFigures(p, fraction);
    const line = withBar(label, figures, fraction, { ...layout, width });
    if (line !== null) return line;
  }
  const parts = compactFigures(p, fraction);
  const short = fitLabel(label, Math.max(4, Math.floor(width / 3)));
  while (parts.length > 2 && visibleWidth(`${short} ${parts.join(" ")}`) > width) parts.pop();
  return truncateToWidth(`${short} ${parts.join(" ")}`, width);
}

/** The layouts tried in turn, roomiest first. */
const LAYOUTS = [
  { compact: false, minLabel: 12, minBar: 10 },
  { compact: true, minLabel: 8, minBar: 6 },
  { compact: true, minLabel: 5, minBar: MIN_BAR_COLUMNS },
] as const;

/** `label [bar] figures` in `width` columns, or `null` when the minimums do not fit. */
function withBar(
  label: string,
  figures: string[],
  fraction: number,
  layout: { minLabel: number; minBar: number; width: number },
): string | null {
  const tail = figures.join(" ");
  const room = layout.width - visibleWidth(tail) - 4; // the " [", "] " around the bar
  const labelWidth = visibleWidth(label);
  const minLabel = Math.min(layout.minLabel, labelWidth);
  const labelCap = Math.max(minLabel, Math.floor(layout.width / 3));
  const labelColumns = Math.min(labelWidth, labelCap, room - layout.minBar);
  if (labelColumns < minLabel) return null;
  const barColumns = Math.min(MAX_BAR_COLUMNS, room - labelColumns);
  if (barColumns < layout.minBar) return null;
  return `${fitLabel(label, labelColumns)} [${bar(fraction, barColumns)}] ${tail}`;
}

function fullFigures(p: Progress, fraction: number): string[] {
  return [
    `${Math.floor(fraction * 100)}%`.padStart(4),
    `${formatBytes(p.done)} / ${formatBytes(p.total)}`,
    formatRate(p.bytesPerSecond),
    `ETA ${eta(p)}`,
  ];
}

function compactFigures(p: Progress, fraction: number): string[] {
  const rate = rateKnown(p.bytesPerSecond) ? `${shortBytes(p.bytesPerSecond)}/s` : "--/s";
  return [
    `${Math.floor(fraction * 100)}%`,
    `${shortBytes(p.done)}/${shortBytes(p.total)}`,
    rate,
    eta(p),
  ];
}

/** A byte count in at most six columns, binary units by their initial: `512B`, `12.3M`. */
function shortBytes(n: number): string {
  const [value = "0", unit = "B"] = formatBytes(n).split(" ");
  return unit === "B" ? `${value}B` : `${value}${unit[0]}`;
}

function rateKnown(bytesPerSecond: number): boolean {
  return Number.isFinite(bytesPerSecond) && bytesPerSecond >= 0;
}

function eta(p: Progress): string {
  const remaining = p.total - p.done;
  if (remaining <= 0) return "0:00";
  if (!rateKnown(p.bytesPerSecond) || p.bytesPerSecond === 0) return "--:--";
  const ms = (remaining / p.bytesPerSecond) * 1000;
  return ms > MAX_ETA_MS ? "--:--" : formatDuration(ms);
}

function bar(fraction: number, columns: number): string {
  const filled = Math.round(fraction * columns);
  const head = filled > 0 && filled < columns ? ">" : "";
  return "=".repeat(filled - head.length) + head + " ".repeat(columns - filled);
}

/** Cuts a (sanitized) label to at most `columns`, marking a cut with "…". */
function fitLabel(label: string, columns: number): string {
  if (visibleWidth(label) <= columns) return label;
  const kept = truncateToWidth(label, Math.max(0, columns - 1));
  // A wide character that did not fit leaves a column: pad so the bar stays aligned.
  return kept + "…" + " ".repeat(Math.max(0, columns - 1 - visibleWidth(kept)));
}
