/** One sample of the Prometheus text format: `name{a="b"} value`. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the sample lines of a Prometheus text exposition (comments are skipped). */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const space = line.lastIndexOf(' ');
    if (brace === -1 || brace > space) {
      samples.push({
        name: line.slice(0, space),
        labels: {},
        value: Number(line.slice(space + 1)),
      });
      continue;
    }
    const end = line.lastIndexOf('}');
    samples.push({
      name: line.slice(0, brace),
      labels: parseLabels(line.slice(brace + 1, end)),
      value: Number(
        line
          .slice(end + 1)
          .trim()
          .split(' ')[0],
      ),
    });
  }
  return samples;
}

/** Samples called `name` whose labels include every pair of `where`. */
export function find(
  samples: Sample[],
  name: string,
  where: Record<string, string> = {},
): Sample[] {
  return samples.filter(
    (sample) =>
      sample.name === name &&
      Object.entries(where).every(([key, value]) => sample.labels[key] === value),
  );
}

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  const pattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
  for (const match of text.matchAll(pattern)) {
    labels[match[1] as string] = (match[2] as string).replace(/\\(.)/g, (_, c: string) =>
      c === 'n' ? '\n' : c,
    );
  }
  return labels;
}
