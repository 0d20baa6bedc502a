import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { formatNumber } from '../../format';
import { ageTicks, niceTicks, timeTicks } from './scale';
import './charts.css';

/** One line of a chart; its points carry a tooltip (<title>) when drawn. */
export interface ChartSeries {
  key: string;
  label: string;
  points: { x: number; y: number; title?: string }[];
  /** Draw a dot on each point (the measures themselves; reference curves are lines only). */
  showPoints?: boolean;
  /** A thicker, darker line (e.g. the median of a growth reference). */
  emphasis?: boolean;
  /** A reference curve: grey, thin, under the measures. */
  reference?: boolean;
  /** Write the label at the right end of the line. */
  endLabel?: boolean;
}

export interface ChartBand {
  low?: number;
  high?: number;
  label: string;
}

export interface LineChartProps {
  series: ChartSeries[];
  /** 'time': x in ms since the epoch; 'age': x in months; 'number': plain numbers. */
  xKind: 'time' | 'age' | 'number';
  xLabel: string;
  yLabel: string;
  /** Summary read by assistive technologies (role="img"). */
  ariaLabel: string;
  /** The visible caption of the figure (e.g. the reference the curves come from). */
  caption?: ReactNode;
  band?: ChartBand | null;
  /** Decimals of the y values in the ticks. */
  yDecimals?: number;
  /** Always given: the data table that is the accessible alternative to the drawing. */
  table: ReactNode;
  height?: number;
}

const COLORS = ['#000091', '#b00020', '#18753c', '#8a4b00', '#6a1b9a'];
const MARGIN = { top: 26, right: 16, bottom: 44, left: 52 };

/** Follows the width of its container, so that the text keeps its size on a phone. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(260, Math.floor(element.getBoundingClientRect().width)));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/**
 * A small SVG line chart: axes with French ticks, several series (measures with dots, reference curves in
 * grey with labels at their end), an optional target band, a legend, and always the data table beside it.
 */
export function LineChart({ series, xKind, xLabel, yLabel, ariaLabel, caption, band, yDecimals = 1, table, height = 300 }: LineChartProps) {
  const { ref, width } = useWidth(640);
  const titleId = useId();
  const all = series.flatMap((s) => s.points);
  // the labels at the end of the lines, shortened on a narrow chart ("97e centile (C97)" → "97e centile"), and
  // room for them (about 6.5 px a character at 11 px)
  const endLabelOf = (label: string) => (width < 560 ? label.replace(/\s*\([^)]*\)$/, '') : label);
  const endLabelLength = Math.max(0, ...series.filter((s) => s.endLabel).map((s) => endLabelOf(s.label).length));
  const margin = { ...MARGIN, right: endLabelLength ? Math.min(130, 10 + endLabelLength * 6.5) : MARGIN.right };
  const innerW = Math.max(40, width - margin.left - margin.right);
  const innerH = height - margin.top - margin.bottom;

  let xMin = Math.min(...all.map((p) => p.x));
  let xMax = Math.max(...all.map((p) => p.x));
  if (!Number.isFinite(xMin)) {
    xMin = 0;
    xMax = 1;
  }
  if (xMin === xMax) {
    const pad = xKind === 'time' ? 86_400_000 * 15 : 1;
    xMin -= pad;
    xMax += pad;
  }
  const ys = [...all.map((p) => p.y), ...(band?.low !== undefined ? [band.low] : []), ...(band?.high !== undefined ? [band.high] : [])];
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 5);
  const yMin = yTicks[0] ?? 0;
  const yMax = yTicks[yTicks.length - 1] ?? 1;

  const sx = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * innerW;
  const sy = (y: number) => margin.top + innerH - ((y - yMin) / (yMax - yMin || 1)) * innerH;

  const xTicks =
    xKind === 'time'
      ? timeTicks(xMin, xMax)
      : xKind === 'age'
        ? ageTicks(xMin, xMax)
        : niceTicks(xMin, xMax, 6).filter((v) => v >= xMin && v <= xMax).map((v) => ({ value: v, label: formatNumber(v, 2) }));
  // keep the x labels apart on a narrow chart
  const maxXTicks = Math.max(2, Math.floor(innerW / 70));
  const xShown = xTicks.length > maxXTicks ? xTicks.filter((_, i) => i % Math.ceil(xTicks.length / maxXTicks) === 0) : xTicks;

  let colorIndex = 0;
  const styled = series.map((s) => ({ ...s, color: s.reference ? (s.emphasis ? '#3a3a3a' : '#767676') : COLORS[colorIndex++ % COLORS.length]! }));
  const ordered = [...styled.filter((s) => s.reference), ...styled.filter((s) => !s.reference)];

  // the end labels' heights, pushed apart so that they do not overlap (11 px at least between two)
  const labelY = new Map<string, number>();
  const ends = styled
    .filter((s) => s.endLabel && s.points.length > 0)
    .map((s) => ({ key: s.key, y: sy([...s.points].sort((a, b) => a.x - b.x)[s.points.length - 1]!.y) }))
    .sort((a, b) => a.y - b.y);
  ends.forEach((e, i) => labelY.set(e.key, i === 0 ? e.y : Math.max(e.y, labelY.get(ends[i - 1]!.key)! + 11)));

  const bandLow = band?.low ?? yMin;
  const bandHigh = band?.high ?? yMax;

  return (
    <figure className="line-chart">
      {caption && <figcaption className="line-chart__caption">{caption}</figcaption>}
      <div ref={ref} className="line-chart__frame">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={titleId}
          className="line-chart__svg"
        >
          <title id={titleId}>{ariaLabel}</title>
          {band && (band.low !== undefined || band.high !== undefined) && (
            <g className="line-chart__band">
              <rect x={margin.left} width={innerW} y={sy(Math.min(bandHigh, yMax))} height={Math.max(0, sy(Math.max(bandLow, yMin)) - sy(Math.min(bandHigh, yMax)))} />
              {band.low !== undefined && <line x1={margin.left} x2={margin.left + innerW} y1={sy(band.low)} y2={sy(band.low)} />}
              {band.high !== undefined && <line x1={margin.left} x2={margin.left + innerW} y1={sy(band.high)} y2={sy(band.high)} />}
            </g>
          )}
          <g className="line-chart__axis" aria-hidden="true">
            {yTicks.map((v) => (
              <g key={`y${v}`}>
                <line className="line-chart__grid" x1={margin.left} x2={margin.left + innerW} y1={sy(v)} y2={sy(v)} />
                <text x={margin.left - 6} y={sy(v)} dy="0.32em" textAnchor="end">
                  {formatNumber(v, yDecimals)}
                </text>
              </g>
            ))}
            {xShown.map((tick) => (
              <g key={`x${tick.value}`}>
                <line x1={sx(tick.value)} x2={sx(tick.value)} y1={margin.top + innerH} y2={margin.top + innerH + 5} />
                <text x={sx(tick.value)} y={margin.top + innerH + 18} textAnchor="middle">
                  {tick.label}
                </text>
              </g>
            ))}
            <line x1={margin.left} x2={margin.left + innerW} y1={margin.top + innerH} y2={margin.top + innerH} />
            <line x1={margin.left} x2={margin.left} y1={margin.top} y2={margin.top + innerH} />
            <text x={margin.left + innerW / 2} y={height - 6} textAnchor="middle" className="line-chart__axis-label">
              {xLabel}
            </text>
            <text x={4} y={12} className="line-chart__axis-label">
              {yLabel}
            </text>
          </g>
          {ordered.map((s) => {
            const pts = [...s.points].sort((a, b) => a.x - b.x);
            const d = pts.map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`).join(' ');
            const last = pts[pts.length - 1];
            return (
              <g key={s.key} className={s.reference ? 'line-chart__series line-chart__series--reference' : 'line-chart__series'} data-series={s.key}>
                {pts.length > 1 && (
                  <path d={d} fill="none" stroke={s.color} strokeWidth={s.reference ? (s.emphasis ? 2.25 : 1) : 2} strokeDasharray={s.reference && !s.emphasis ? '4 3' : undefined} />
                )}
                {s.showPoints &&
                  pts.map((p, i) => (
                    <circle key={i} className="line-chart__point" cx={sx(p.x)} cy={sy(p.y)} r={4.5} fill={s.color} stroke="#fff" strokeWidth={1.5}>
                      {p.title && <title>{p.title}</title>}
                    </circle>
                  ))}
                {s.endLabel && last && (
                  <text x={sx(last.x) + 4} y={labelY.get(s.key) ?? sy(last.y)} dy="0.32em" className={s.emphasis ? 'line-chart__end-label line-chart__end-label--emphasis' : 'line-chart__end-label'}>
                    {endLabelOf(s.label)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      </div>
      <ul className="line-chart__legend">
        {styled
          .filter((s) => !s.reference)
          .map((s) => (
            <li key={s.key}>
              <span className="line-chart__swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.label}
            </li>
          ))}
        {styled.some((s) => s.reference) && (
          <li>
            <span className="line-chart__swatch line-chart__swatch--reference" aria-hidden="true" />
            {styled.filter((s) => s.reference).map((s) => s.label).join(', ')}
          </li>
        )}
        {band && (band.low !== undefined || band.high !== undefined) && (
          <li>
            <span className="line-chart__swatch line-chart__swatch--band" aria-hidden="true" />
            {band.label}
          </li>
        )}
      </ul>
      {table}
    </figure>
  );
}
