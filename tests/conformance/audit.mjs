// graphql-http's server audits (the GraphQL-over-HTTP spec) against a running labelgraph.
// Usage: node audit.mjs <graphql url> [token]   — prints one line per audit; exits 1 unless every audit is ok.
import { serverAudits } from 'graphql-http';

const [url, token] = process.argv.slice(2);
if (!url) {
  console.error('usage: node audit.mjs <graphql url> [token]');
  process.exit(2);
}
// every request carries the token (labelgraph answers anonymous callers' introspection only)
const fetchFn = (input, init = {}) => {
  const headers = new Headers(init.headers);
  if (token) headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
};

let failed = 0;
const audits = serverAudits({ url, fetchFn });
for (const audit of audits) {
  const result = await audit.fn();
  if (result.status !== 'ok') failed += 1;
  const detail = result.status === 'ok' ? '' : ` — ${result.reason}${result.response
    ? ` (status ${result.response.status}, ${result.response.headers.get('content-type')})` : ''}`;
  console.log(`${result.status.toUpperCase().padEnd(7)} ${audit.id} ${audit.name}${detail}`);
}
console.log(`${audits.length - failed} of ${audits.length} audits ok`);
process.exit(failed ? 1 : 0);
