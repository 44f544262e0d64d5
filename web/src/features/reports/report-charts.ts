import type { ChartConfiguration } from 'chart.js';
import type { TFunction } from 'i18next';
import { CLAIM_STATE_LABELS } from '#contracts/claims.codes.js';
import { CATEGORY_LABELS } from '#contracts/plans.codes.js';
import { formatEuro } from '../../lib/money';
import {
  type ClaimsByStateReport,
  type DecisionTimesReport,
  monthLabel,
  type PaymentsReport,
} from './reports-api';

/**
 * The reports' charts as Chart.js settings, built from a report and the language: pure, so a
 * chart is rebuilt only when its data or the language change (decision 042).
 */

/** Colours with at least 3:1 against white (WCAG 1.4.11); neighbours differ in lightness too. */
export const CHART_COLOURS = [
  '#0b5d6b',
  '#b45309',
  '#6d28d9',
  '#15803d',
  '#be123c',
  '#1d4ed8',
  '#854d0e',
  '#0f766e',
  '#4a5a60',
] as const;

const TEXT = '#1b2a30';
const GRID = '#d5dee1';
const ticks = { color: TEXT };
const grid = { color: GRID };

const common = {
  animation: false,
  responsive: true,
  maintainAspectRatio: false,
  color: TEXT,
  font: { family: 'system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', size: 13 },
} as const;

const english = (language: string) => language.startsWith('en');

/** A long label on lines of about `width` characters (Chart.js draws an array as lines). */
export function wrapLabel(text: string, width = 22): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines.at(-1);
    if (last !== undefined && `${last} ${word}`.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function claimsByStateChart(
  report: ClaimsByStateReport,
  t: TFunction,
  language: string,
): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: report.states.map((s) =>
        wrapLabel(CLAIM_STATE_LABELS[s.state][english(language) ? 'en' : 'it']),
      ),
      datasets: [
        {
          label: t('reports.byState.claims'),
          data: report.states.map((s) => s.count),
          backgroundColor: CHART_COLOURS[0],
        },
      ],
    },
    options: {
      ...common,
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: {
        x: { beginAtZero: true, ticks: { ...ticks, precision: 0 }, grid },
        // Every state named, even on a phone (Chart.js would otherwise skip some).
        y: { ticks: { ...ticks, autoSkip: false }, grid },
      },
    },
  };
}

export function decisionTimesChart(
  report: DecisionTimesReport,
  t: TFunction,
  language: string,
): ChartConfiguration {
  return {
    type: 'bar',
    data: {
      labels: report.months.map((m) => monthLabel(m.month, language)),
      datasets: [
        {
          type: 'bar',
          label: t('reports.times.medianStaff'),
          data: report.months.map((m) => m.staff.medianDays),
          backgroundColor: CHART_COLOURS[0],
          yAxisID: 'y',
        },
        {
          type: 'bar',
          label: t('reports.times.medianAutomatic'),
          data: report.months.map((m) => m.automatic.medianDays),
          backgroundColor: CHART_COLOURS[1],
          yAxisID: 'y',
        },
        {
          type: 'line',
          label: t('reports.times.share'),
          data: report.months.map((m) => m.automaticPercent),
          borderColor: CHART_COLOURS[2],
          backgroundColor: CHART_COLOURS[2],
          borderDash: [6, 4],
          pointStyle: 'rectRot',
          pointRadius: 4,
          spanGaps: true,
          yAxisID: 'share',
        },
      ],
    },
    options: {
      ...common,
      plugins: { legend: { labels: { color: TEXT, boxWidth: 14 } } },
      scales: {
        x: { ticks, grid },
        y: {
          beginAtZero: true,
          ticks,
          grid,
          title: { display: true, text: t('reports.times.daysAxis'), color: TEXT },
        },
        share: {
          position: 'right',
          min: 0,
          max: 100,
          grid: { drawOnChartArea: false },
          ticks: { color: TEXT, callback: (value) => `${value}%` },
          title: { display: true, text: t('reports.times.shareAxis'), color: TEXT },
        },
      },
    },
  };
}

/** Stacked bars: one per month, a part per category, in euro. */
export function paymentsChart(report: PaymentsReport, language: string): ChartConfiguration {
  const euro = (euros: unknown) => formatEuro(Math.round(Number(euros) * 100), language);
  return {
    type: 'bar',
    data: {
      labels: report.months.map((m) => monthLabel(m.month, language)),
      datasets: report.categories.map((code, index) => ({
        label: CATEGORY_LABELS[code][english(language) ? 'en' : 'it'],
        data: report.months.map((m) => (m.byCategory[index]?.cents ?? 0) / 100),
        backgroundColor: CHART_COLOURS[index % CHART_COLOURS.length],
        borderColor: '#ffffff',
        borderWidth: 1,
        stack: 'paid',
      })),
    },
    options: {
      ...common,
      plugins: {
        legend: { labels: { color: TEXT, boxWidth: 14 } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${euro(item.raw)}` } },
      },
      scales: {
        x: { stacked: true, ticks, grid },
        y: {
          stacked: true,
          beginAtZero: true,
          grid,
          ticks: { color: TEXT, callback: (value) => euro(value) },
        },
      },
    },
  };
}
