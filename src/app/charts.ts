// Chart.js, registered once with the matrix chart type (for heatmaps), and the page's shared helpers.
import { Chart, registerables } from 'chart.js';
import { MatrixController, MatrixElement } from 'chartjs-chart-matrix';

Chart.register(...registerables, MatrixController, MatrixElement);
// Training updates arrive many times a second: animations would only cost main-thread time.
Chart.defaults.animation = false;
Chart.defaults.responsive = true;
Chart.defaults.maintainAspectRatio = false;

export { Chart };

/** A stable colour per language (15 evenly spaced hues, alternating lightness for neighbours). */
export function languageColour(lang: string, languages: string[], alpha = 1): string {
  const i = Math.max(0, languages.indexOf(lang));
  const hue = Math.round((i * 360) / Math.max(languages.length, 1));
  return `hsla(${hue}, 70%, ${i % 2 ? 38 : 52}%, ${alpha})`;
}

/** Saves a blob as a file through a temporary link. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A chart's canvas as a PNG with a white background (transparent PNGs read badly in viewers). */
export async function chartPng(canvas: HTMLCanvasElement): Promise<Blob> {
  const copy = document.createElement('canvas');
  copy.width = canvas.width;
  copy.height = canvas.height;
  const ctx = copy.getContext('2d')!;
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, copy.width, copy.height);
  ctx.drawImage(canvas, 0, 0);
  return new Promise((resolve, reject) => copy.toBlob((b) => (b ? resolve(b) : reject(new Error('the chart could not be encoded'))), 'image/png'));
}
