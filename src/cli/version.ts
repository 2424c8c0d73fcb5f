/** The tool's version, read once from package.json (two folders above dist/cli/ and src/cli/). */
import { readFileSync } from 'node:fs';

export const TOOL_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
