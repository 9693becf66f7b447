// The result as a chart: lines over time, or bars when there is no time variable with several periods.
// ECharts (only the line and bar parts) is loaded on first use, so pages without a chart stay light.

import { h } from '../dom.js';
import { locale, type Lang, type Texts } from '../i18n.js';
import { chartModel, type Dataset } from '../jsonstat.js';

type ECharts = typeof import('./echartsParts.js');
let loaded: Promise<ECharts> | null = null;

export async function renderChart(container: HTMLElement, ds: Dataset, lang: Lang, t: Texts): Promise<() => void> {
  const model = chartModel(ds);
  container.replaceChildren();
  if (!model.series.length || model.series.every((s) => s.data.every((x) => x === null))) {
    container.appendChild(h('p', null, t.chartNothing));
    return () => undefined;
  }
  const limit = model.kind === 'line' ? model.series.length : model.categories.length;
  const info = h('p', { class: 'chart-info' }, model.kind === 'bar' ? t.chartNoTime : '', model.total > limit ? ` ${t.chartLimited(model.total, limit)}` : '');
  const canvasBox = h('div', { class: 'chart', role: 'img', 'aria-label': `${ds.label}` });
  container.append(info, canvasBox);
  loaded ??= import('./echartsParts.js');
  const { echarts } = await loaded;
  const chart = echarts.init(canvasBox, undefined, { renderer: 'canvas' });
  const nf = new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 });
  chart.setOption({
    animation: false,
    color: ['#00824d', '#274247', '#f26539', '#3396d2', '#a3136c', '#c78800', '#1a9d49', '#6c6c6c', '#075745', '#ed51c9'],
    tooltip: { trigger: model.kind === 'line' ? 'axis' : 'item', valueFormatter: (v: unknown) => (typeof v === 'number' ? nf.format(v) : '..') },
    legend: model.series.length > 1 ? { type: 'scroll', top: 0 } : undefined,
    grid: { left: 8, right: 16, top: model.series.length > 1 ? 40 : 16, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: model.categories, axisLabel: { hideOverlap: true, rotate: model.kind === 'bar' && model.categories.length > 8 ? 30 : 0 } },
    yAxis: { type: 'value', scale: model.kind === 'line', axisLabel: { formatter: (v: number) => nf.format(v) } },
    series: model.series.map((s) => ({ name: s.name, type: model.kind, data: s.data, connectNulls: false, showSymbol: model.categories.length < 40, barMaxWidth: 64 })),
  });
  const onResize = () => chart.resize();
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    chart.dispose();
  };
}
