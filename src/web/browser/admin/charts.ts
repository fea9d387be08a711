import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { h } from './dom';

// Only what the dashboard draws: bars (grouped, stacked, floating for intervals) and point markers.
Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);
Chart.defaults.animation = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#1f2937';

/** Colours with at least 3:1 contrast against white, told apart by more than hue in the tables beside them. */
export const PALETTE = ['#1d4ed8', '#b45309', '#047857', '#b91c1c', '#6d28d9', '#0e7490', '#be185d'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- mixed bar/line charts need Chart.js's loose typing
export type AnyChartConfiguration = ChartConfiguration<any, any, any>;

/**
 * A chart as a figure: a canvas described by aria-label (the picture) and, after it, the same numbers
 * as a data table (what screen readers and keyboard users read, and the fallback when drawing fails).
 */
export function chartFigure(input: { id: string; title: string; description: string; table: HTMLElement }): {
  figure: HTMLElement;
  canvas: HTMLCanvasElement;
} {
  const canvas = h('canvas', { id: input.id, role: 'img', 'aria-label': input.description }, input.description);
  const figure = h(
    'figure',
    { class: 'chart-figure' },
    h('figcaption', {}, input.title),
    h('div', { class: 'chart-box' }, canvas),
    input.table,
  );
  return { figure, canvas };
}

/** Draws once the canvas is in the document (Chart.js sizes it from its container). */
export function drawChart(canvas: HTMLCanvasElement, config: AnyChartConfiguration): Chart {
  const options = config.options ?? {};
  return new Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, ...options },
  });
}
