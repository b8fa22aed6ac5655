# syntax=docker/dockerfile:1
# Ledgerline's image (issue 20): Next's standalone server, the job runner and the release step,
# without dev dependencies, as a non-root user. Every step below is also run on the host by
# `npm run standalone:smoke` (scripts/standalone.mjs), which is how it is tested here.
#
#   docker build -t ledgerline .
#   docker run --rm --env-file prod.env ledgerline node db/migrate.mjs   # release step (DATABASE_URL = owner)
#   docker run -d -p 3000:3000 --env-file prod.env ledgerline             # web (DATABASE_APP_URL only)
#   docker run -d --env-file prod.env ledgerline node worker.mjs          # job runner (one or more)
#
# Variables: .env.example. Health: GET /api/health (process up, used below); the balancer should
# route on GET /api/ready. `docker stop` sends SIGTERM: requests in flight get up to
# LEDGERLINE_SHUTDOWN_TIMEOUT_MS (25 s) to finish, so give it `--time 30` or more.
ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM deps AS build
ENV NEXT_TELEMETRY_DISABLED=1
COPY . .
# `next build` (output: standalone), then the static assets, db/migrate.mjs and worker.mjs beside server.js.
RUN node_modules/.bin/next build && node scripts/lib/standalone.mjs

FROM node:${NODE_VERSION}-bookworm-slim AS runner
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    NEXT_MANUAL_SIG_HANDLE=true
# Only the traced production dependencies come along (.next/standalone/node_modules).
COPY --from=build --chown=node:node /app/.next/standalone ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
STOPSIGNAL SIGTERM
CMD ["node", "server.js"]
