import { StrictMode, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import "./style.css";
import { getToken, onTokenChange, setToken } from "./api";
import { useHashRoute } from "./hooks";
import { SignIn } from "./pages/SignIn";
import { Home } from "./pages/Home";
import { ProjectView } from "./pages/Project";
import { DatasetView } from "./pages/Dataset";
import { ItemView } from "./pages/Item";
import { Board } from "./pages/Board";
import { ExecutionView } from "./pages/Execution";
import { JobsView } from "./pages/Jobs";

function Page({ route }: { route: string }) {
  let m: RegExpMatchArray | null;
  if ((m = route.match(/^\/projects\/([^/]+)\/executions$/))) return <Board projectId={m[1]} />;
  if ((m = route.match(/^\/projects\/([^/]+)\/jobs$/))) return <JobsView projectId={m[1]} />;
  if ((m = route.match(/^\/projects\/([^/]+)$/))) return <ProjectView id={m[1]} />;
  if ((m = route.match(/^\/datasets\/([^/]+)$/))) return <DatasetView id={m[1]} />;
  if ((m = route.match(/^\/items\/([^/]+)$/))) return <ItemView id={m[1]} />;
  if ((m = route.match(/^\/executions\/([^/]+)$/))) return <ExecutionView id={m[1]} />;
  return <Home />;
}

function App() {
  const [token, setTok] = useState(getToken());
  useEffect(() => onTokenChange(() => setTok(getToken())), []);
  const route = useHashRoute();
  return (
    <>
      <header className="top">
        <a href="#/" className="brand">labelgraph console</a>
        <nav aria-label="Main">
          <a href="/graphql">GraphiQL</a>
          {token ? <button type="button" onClick={() => setToken(null)}>Sign out</button> : null}
        </nav>
      </header>
      <main id="main">{token ? <Page route={route} /> : <SignIn />}</main>
    </>
  );
}

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
