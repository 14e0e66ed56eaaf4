# syntax=docker/dockerfile:1
# `ragfolio serve` in a container: the offline pipeline (USE-lite, BM25, extractive answers), with the
# index and one eval run built into the image, so the container starts in seconds and needs no network.
#   docker build -t ragfolio .
#   docker run --rm -p 127.0.0.1:3000:3000 ragfolio        # then open http://127.0.0.1:3000/
# See docs/deploying.md.

ARG NODE_VERSION=20

# --- production dependencies only (tsx and esbuild are among them: the CLI is TypeScript, built on first use) ---
FROM node:${NODE_VERSION}-slim AS deps
WORKDIR /app
# hnswlib-node compiles a native addon with node-gyp; build tools stay in this stage.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*
# Use the headers that ship with this Node instead of downloading them.
ENV npm_config_nodedir=/usr/local
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- the app, its index and a first eval run ---
FROM deps AS build
COPY . .
# Ingest reads the bundled dataset's shipped vectors (seconds; datasets/sotu/embeddings/); the eval run fills the
# page's metrics panel.
RUN node bin/ragfolio.js ingest && node bin/ragfolio.js eval --label image

# --- runtime: no compilers, not root ---
FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
# The code stays root-owned and read-only to the server; it writes only .ragfolio/served.json (and runs/ if
# you run evals in the container).
RUN chown -R node:node /app/.ragfolio /app/runs
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:3000/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Inside the container the server must listen on every interface; publish the port on the host's loopback
# (or behind a reverse proxy) to keep it private. node is PID 1 here: `serve` handles SIGTERM itself.
CMD ["node", "bin/ragfolio.js", "serve", "--host", "0.0.0.0", "--port", "3000"]
