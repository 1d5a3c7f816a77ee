// Helpers for the integration tests: scrape an agent over real HTTP and read values.

/** GETs `${url}/metrics` and returns the exposition text. */
export async function scrape(url: string): Promise<string> {
  const res = await fetch(`${url}/metrics`);
  if (res.status !== 200) throw new Error(`scrape ${url}: HTTP ${res.status}`);
  return res.text();
}

/** Value of the series `name{labels}` (labels in exposition order, e.g. `cpu="0"`), or undefined. */
export function valueOf(text: string, series: string): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return undefined;
}

/** All series lines of a metric name, e.g. every `host_cpu_core_usage_ratio{cpu=...}`. */
export function seriesOf(text: string, name: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
}

/**
 * Scrapes until every named collector reports up (a loaded machine can push one past its
 * deadline for a sample, and its series are then absent until the next).
 */
export async function scrapeWhenUp(url: string, collectors: readonly string[] = ['cpu', 'memory']): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = await scrape(url);
    if (collectors.every((c) => valueOf(text, `host_collector_up{collector="${c}"}`) === 1)) return text;
    if (Date.now() > deadline) throw new Error(`collectors ${collectors.join(', ')} not all up: ${text.split('\n').filter((l) => l.startsWith('host_collector_up')).join('; ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
