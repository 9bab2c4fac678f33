// The graphql-ws reference client (graphql-transport-ws protocol) following one execution to its end.
// Usage: node follow.mjs <ws url> <token> <execution id> — prints each executionUpdated as one JSON line; exits
// 0 once the execution reaches a terminal status and the server completes nothing early, 1 on any error.
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

const [url, token, id] = process.argv.slice(2);
if (!id) {
  console.error('usage: node follow.mjs <ws url> <token> <execution id>');
  process.exit(2);
}
const TERMINAL = new Set(['SUCCESS', 'FAILED', 'TERMINATED', 'ABORTED', 'CANCELED', 'SYSTEM_FAILURE']);
const client = createClient({
  url,
  webSocketImpl: WebSocket,
  connectionParams: { authorization: `Bearer ${token}` },
  retryAttempts: 0,
  lazy: true,
});
const subscription = client.iterate({
  query: 'subscription Follow($id: ID!) { executionUpdated(id: $id) { id version status output error } }',
  variables: { id },
});
let code = 1;
try {
  for await (const result of subscription) {
    console.log(JSON.stringify(result));
    if (result.errors) break;
    if (TERMINAL.has(result.data.executionUpdated.status)) {
      code = 0;
      break; // leaving the loop sends `complete` to the server
    }
  }
} catch (error) {
  console.error('subscription failed:', error instanceof Error ? error.message : JSON.stringify(error));
} finally {
  await client.dispose();
}
process.exit(code);
