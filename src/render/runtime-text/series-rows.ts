/** The series cut to at most n rows for a report (peaks kept); the JSON keeps all its points. */
import { mergeCountPoints, type CountPoint } from '../../analyzers/runtime-text/index.js';

export function seriesRows(points: readonly CountPoint[], n: number): CountPoint[] {
  const per = Math.max(1, Math.ceil(points.length / Math.max(1, n)));
  const rows: CountPoint[] = [];
  for (let i = 0; i < points.length; i += per) {
    const row = { ...points[i]! };
    for (const p of points.slice(i + 1, i + per)) mergeCountPoints(row, p);
    rows.push(row);
  }
  return rows;
}
