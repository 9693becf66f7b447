// A small chart of one series (line over periods, or bars over categories) for the figure cards of the region
// profiles. ECharts is loaded on first use, like the result chart.

import { h } from '../dom.js';
import { locale, type Lang } from '../i18n.js';

let loaded: Promise<typeof import('./echartsParts.js')> | null = null;

export interface MiniSeries {
  kind: 'line' | 'bar';
  categories: string[];
  values: (number | null)[];
  unit: string;
  /** What the chart shows, for screen readers (the numbers are in the table next to it). */
  label: string;
}

export function miniChart(s: MiniSeries, lang: Lang): HTMLElement {
  const box = h('div', { class: 'mini-chart', role: 'img', 'aria-label': s.label, 'data-kind': s.kind });
  const nf = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 1 });
  loaded ??= import('./echartsParts.js');
  void loaded.then(({ echarts }) => {
    if (!box.isConnected) return;
    const chart = echarts.init(box, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      color: ['#00824d'],
      grid: { left: 4, right: 8, top: 24, bottom: 4, containLabel: true },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? nf.format(v) : '..'), confine: true },
      xAxis: { type: 'category', data: s.categories, axisLabel: { hideOverlap: true, fontSize: 10 } },
      yAxis: { type: 'value', name: s.unit, nameTextStyle: { align: 'left', color: '#4d5b5e', fontSize: 10 }, scale: s.kind === 'line', axisLabel: { fontSize: 10, formatter: (v: number) => nf.format(v) } },
      series: [{ type: s.kind, data: s.values, showSymbol: s.categories.length < 16, barMaxWidth: 40 }],
    });
    const onResize = () => (box.isConnected ? chart.resize() : (window.removeEventListener('resize', onResize), chart.dispose()));
    window.addEventListener('resize', onResize);
    box.dataset.drawn = 'true';
  });
  return box;
}
