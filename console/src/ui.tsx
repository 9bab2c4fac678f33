import type { ReactNode } from "react";
import type { ApiError } from "./api";

export function ErrorBox({ error }: { error: ApiError | Error | null }) {
  if (!error) return null;
  const code = (error as ApiError).code;
  return (
    <div role="alert" className="error">
      {code ? <strong>{code}: </strong> : null}
      {error.message}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return <p aria-live="polite" className="muted">Loading {what}…</p>;
}

export function Crumbs({ children }: { children: ReactNode }) {
  return <nav aria-label="Breadcrumb" className="crumbs">{children}</nav>;
}

export function Json({ value }: { value: unknown }) {
  // focusable: a long value scrolls, and a keyboard must be able to scroll it
  return <pre className="json" tabIndex={0}>{JSON.stringify(value, null, 2)}</pre>;
}
