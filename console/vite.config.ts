// Two pages: the console (index.html, React) and GraphiQL (graphiql.html), built into the Python package so
// `labelgraph serve` serves them with no network: server/labelgraph/console_dist/ (committed, drift-checked).
// `npm run dev` serves the console with hot reload and proxies /graphql (HTTP and WebSocket) to a running
// gateway: LABELGRAPH_URL (default http://127.0.0.1:8080).
import { defineConfig } from "vite";
import { resolve } from "node:path";

const gateway = process.env.LABELGRAPH_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  base: "/",
  esbuild: { jsx: "automatic", legalComments: "none" },
  build: {
    outDir: resolve(__dirname, "../server/labelgraph/console_dist"),
    emptyOutDir: true,
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 3000,
    rollupOptions: {
      input: { index: resolve(__dirname, "index.html"), graphiql: resolve(__dirname, "graphiql.html") },
      onwarn(warning, warn) {
        if (warning.code === "MODULE_LEVEL_DIRECTIVE") return; // GraphiQL's dependencies' "use client"
        warn(warning);
      },
    },
  },
  server: {
    proxy: { "/graphql": { target: gateway, ws: true, changeOrigin: true } },
  },
});
