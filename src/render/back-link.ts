/**
 * A link back from a page of a bundle (a flame graph, a timeline) to the place
 * in index.html it belongs to, put at the top of the page's body.
 */
import { escapeHtml as e } from './html-escape.js';

export function withBackLink(html: string, href: string, text: string): string {
  const at = html.indexOf('<body>\n');
  if (at < 0) return html;
  const nav = `<nav style="font-size:13px;margin-bottom:6px"><a href="${e(href)}">${e(text)}</a></nav>\n`;
  return html.slice(0, at + 7) + nav + html.slice(at + 7);
}
