import { Gauge, type GaugeConfiguration } from 'prom-client';

/**
 * A gauge that stays out of the exposition until the sampler first sets it: prom-client shows an
 * unlabelled gauge as 0 from the start, and a 0 CPU or memory reading before any sample would lie.
 */
export function sampledGauge<T extends string>(config: GaugeConfiguration<T>): Gauge<T> {
  const gauge = new Gauge(config);
  if (!config.labelNames?.length) gauge.remove();
  return gauge;
}
