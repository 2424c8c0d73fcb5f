/** The report.md section of a bundle that lists the inputs it could not read, so none is silently missing. */
import type { FailedInput } from './index-html.js';
import { mdText } from '../markdown.js';

export function failedInputsMarkdown(failed: readonly FailedInput[]): string {
  if (failed.length === 0) return '';
  return `## Inputs that could not be read\n\n${failed.map((f) => `- ${mdText(f.error.startsWith(f.file) ? f.error : `${f.file}: ${f.error}`)}\n`).join('')}\n`;
}
