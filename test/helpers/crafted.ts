/** Names an attacker (or an unlucky program) could put in a trace or profile. */
export const HOSTILE_NAMES = [
  '</script><img src=x onerror="window.__pwned=1;alert(1)">',
  '<svg onload=alert(2)>',
  '"><script>window.__pwned=3</script>',
  "'; window.__pwned=4; '",
  '$& $1 $` $\' \u2028\u2029',
  '<!-- <script>',
  'main.(*T).Method[...]',
];
