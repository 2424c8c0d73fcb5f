/**
 * Is this text a goroutine dump? A goroutine header, or a debug=1 profile's
 * first line, at the start of a line in the first bytes. The rest of a log
 * may come before it.
 */
const HEADER = /^goroutine \d+(?: gp=0x[0-9a-f]+ m=(?:\d+|nil)(?: mp=0x[0-9a-f]+)?)? \[[^\]\n]*\](?: \{[^\n]*\})?:\r?$/m;
const PROFILE = /^goroutine profile: total \d+\r?$/m;

export function looksLikeGoroutineDump(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  return HEADER.test(text) || PROFILE.test(text);
}
