// GraphiQL, bundled: served by the gateway at GET /graphql with every script and style from the gateway (no
// CDN), so it works on a machine without internet. Queries go to /graphql, subscriptions over graphql-ws; the
// console's token (this tab's session storage) is filled into the headers.
import { createRoot } from "react-dom/client";
import { GraphiQL } from "graphiql";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import "graphiql/style.css";

const token = sessionStorage.getItem("labelgraph.token");
const url = `${location.protocol}//${location.host}/graphql`;
const fetcher = createGraphiQLFetcher({
  url,
  subscriptionUrl: `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`,
});
const headers = JSON.stringify({ Authorization: `Bearer ${token ?? "lg_…"}` }, null, 2);

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL fetcher={fetcher} defaultHeaders={headers} defaultQuery={"{\n  me {\n    email\n  }\n}\n"} />,
);
