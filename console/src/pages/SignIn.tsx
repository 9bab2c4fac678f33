import { useState, type FormEvent } from "react";
import { ApiError, request, setToken } from "../api";
import { Me } from "../operations";
import { ErrorBox } from "../ui";

export function SignIn() {
  const [value, setValue] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = sessionStorage.getItem("labelgraph.signedOut");

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    sessionStorage.setItem("labelgraph.token", value.trim()); // tried before it is kept
    try {
      await request(Me);
      setToken(value.trim());
    } catch (err) {
      sessionStorage.removeItem("labelgraph.token");
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="signin">
      <h1>Sign in</h1>
      <p>Paste an API token (<code>lg_…</code>). It is kept in this tab's session storage only.</p>
      {reason ? <p className="muted">{reason}</p> : null}
      <form onSubmit={submit}>
        <label htmlFor="token">API token</label>
        <input id="token" name="token" type="password" autoComplete="off" value={value}
          onChange={(e) => setValue(e.target.value)} required />
        <button type="submit" disabled={busy}>Sign in</button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
