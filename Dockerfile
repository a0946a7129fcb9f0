# The integration's processes for production: one image, compiled code, two commands.
#
#   docker build -t summa-fortnox .
#   docker run … summa-fortnox                              # a worker: node dist/src/cli/worker.js
#   docker run … summa-fortnox node dist/src/cli/hook.js    # Summa's hook
#
# docker-compose.temporal.yml runs both beside Temporal (`--profile integration`). Settings come from the
# environment (docs/operations.md); nothing secret is baked in.
ARG NODE_IMAGE=node:20.20-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall step installs the Temporal CLI for `npm start`, which production does not run.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workflows ./workflows
COPY activities ./activities
# TypeScript to dist/ and the workflow bundle, once (workers do not bundle at start).
RUN npm run build

FROM ${NODE_IMAGE}
ENV NODE_ENV=production DATA_DIR=/data HOOK_HOST=0.0.0.0 METRICS_HOST=0.0.0.0 METRICS_PORT=9464
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
# 8787: the hook; 9464: /metrics and /healthz of either process.
EXPOSE 8787 9464
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.METRICS_PORT ?? '9464') + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/cli/worker.js"]
