// The console's transport: typed documents (src/gql/) over fetch for queries and mutations, over graphql-ws
// (graphql-transport-ws) for subscriptions. The token lives in sessionStorage; an UNAUTHENTICATED answer (a
// revoked or expired token) signs out, and the app goes back to sign-in.
import { createClient, type Client } from "graphql-ws";
import type { TypedDocumentString } from "./gql/graphql";

const TOKEN_KEY = "labelgraph.token";
export const SIGNED_OUT_KEY = "labelgraph.signedOut";
const listeners = new Set<() => void>();

export function getToken(): string | null {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(token: string | null): void {
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
  wsClient?.dispose();
  wsClient = null;
  socketOpen = false;
  listeners.forEach((f) => f());
}

export function onTokenChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}

/** An error as the API states it: its message, with the code from `extensions.code` when there is one. */
export class ApiError extends Error {
  constructor(message: string, readonly code: string | null) {
    super(message);
  }
}

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

function check<T>(body: GraphQLResponse<T>): T {
  if (body.errors?.length) {
    const first = body.errors[0];
    const code = first.extensions?.code ?? null;
    if (code === "UNAUTHENTICATED") {
      // the sign-in page says why, in the API's words
      sessionStorage.setItem(SIGNED_OUT_KEY, first.message);
      setToken(null);
    }
    throw new ApiError(body.errors.map((e) => e.message).join("; "), code);
  }
  return body.data as T;
}

export async function request<R, V>(doc: TypedDocumentString<R, V>, variables?: V): Promise<R> {
  const token = getToken();
  const res = await fetch("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query: doc.toString(), variables: variables ?? {} }),
  });
  let body: GraphQLResponse<R>;
  try {
    body = await res.json();
  } catch {
    throw new ApiError(`the gateway answered ${res.status} ${res.statusText}`, null);
  }
  return check(body);
}

let wsClient: Client | null = null;
let socketOpen = false;

function ws(): Client {
  if (!wsClient) {
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
    wsClient = createClient({
      url,
      connectionParams: () => ({ authorization: `Bearer ${getToken() ?? ""}` }),
      retryAttempts: 5,
      lazy: true,
      on: {
        connected: () => { socketOpen = true; },
        closed: () => { socketOpen = false; },
      },
    });
  }
  return wsClient;
}

/** Call `f` each time the WebSocket is (re)connected and signed in; returns the function that stops that. */
export function onConnected(f: () => void): () => void {
  const client = ws();
  if (socketOpen) queueMicrotask(f);
  return client.on("connected", f);
}

/** Subscribe; returns the function that unsubscribes. */
export function subscribe<R, V>(
  doc: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  onError: (error: ApiError) => void,
  onComplete?: () => void,
): () => void {
  return ws().subscribe<R>(
    { query: doc.toString(), variables: variables as Record<string, unknown> },
    {
      next: (value) => {
        try {
          onData(check(value as GraphQLResponse<R>));
        } catch (e) {
          onError(e as ApiError);
        }
      },
      error: (e) => {
        if (Array.isArray(e)) onError(new ApiError(e.map((x) => x.message).join("; "), null));
        else if (e instanceof CloseEvent) onError(new ApiError(`the subscription closed: ${e.reason || e.code}`, null));
        else onError(new ApiError(String((e as Error)?.message ?? e), null));
      },
      complete: () => onComplete?.(),
    },
  );
}
