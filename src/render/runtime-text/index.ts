export { runtimeTextReportJson } from './json.js';
export { runtimeTextReportMarkdown } from './markdown.js';
export { logWarnings, visible, type RuntimeTextInputInfo, type RuntimeTextReport } from './report.js';
export { runtimeTextReportText } from './text.js';
export { runtimeTextBundleEntry } from './bundle.js';
