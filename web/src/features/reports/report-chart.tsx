import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useEffect, useRef } from 'react';

// Only what the reports draw (Chart.js is tree-shaken): bars, a line, their scales, legend, tooltip.
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

/**
 * A Chart.js chart on a canvas (decision 042): it draws with the canvas API and sizes the canvas
 * through the DOM's style object, which the CSP (`style-src 'self'`) allows, and injects no
 * stylesheet. For assistive technology the canvas is one image named by `label`; the numbers are
 * in the table that follows each chart.
 */
export function ReportChart({ config, label }: { config: ChartConfiguration; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    if (!canvas.current) return;
    const chart = new Chart(canvas.current, config);
    return () => chart.destroy();
  }, [config]);
  return (
    <div className="report-chart">
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
