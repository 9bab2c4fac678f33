import { useState, type FormEvent } from "react";
import { ApiError, SIGNED_OUT_KEY, request, setToken } from "../api";
import { Me } from "../operations";
import { ErrorBox } from "../ui";

export function SignIn() {
  const [value, setValue] = useState("");
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const reason = sessionStorage.getItem(SIGNED_OUT_KEY);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    sessionStorage.setItem("labelgraph.token", value.trim()); // tried before it is kept
    try {
      await request(Me);
      sessionStorage.removeItem(SIGNED_OUT_KEY);
      setToken(value.trim());
    } catch (err) {
      sessionStorage.removeItem("labelgraph.token");
      sessionStorage.removeItem(SIGNED_OUT_KEY); // a token refused here is this form's error, not a sign-out
      setError(err as ApiError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="signin">
      <h1>Sign in</h1>
      <p>Paste an API token (<code>lg_…</code>). It is kept in this tab's session storage only.</p>
      {reason ? <div role="alert" className="error">Signed out: {reason}</div> : null}
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
