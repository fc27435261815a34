# syntax=docker/dockerfile:1
# Gatehouse: a multi-stage build of the standalone Next.js server, run as a non-root user.

FROM node:24-bookworm-slim AS deps
WORKDIR /app
# better-sqlite3 compiles its native addon when no prebuilt binary can be fetched.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# When it does compile, it uses the headers this image's Node.js ships in /usr/local/include/node
# rather than downloading them from nodejs.org.
RUN npm_config_nodedir=/usr/local npm ci --no-audit --no-fund

FROM node:24-bookworm-slim AS build
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY --from=deps /app/node_modules ./node_modules
COPY . .
# The `gatehouse` command's package (public/cli/gatehouse.tgz) first: the portal serves it from public/.
RUN npx tsx scripts/build-cli.ts && npx next build

FROM node:24-bookworm-slim AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    NEXT_TELEMETRY_DISABLED=1 \
    PORT=3000 \
    HOSTNAME=0.0.0.0 \
    DATA_DIR=/data
RUN groupadd --system --gid 1001 gatehouse \
 && useradd --system --uid 1001 --gid gatehouse --home-dir /app --shell /usr/sbin/nologin gatehouse \
 && mkdir -p /data && chown gatehouse:gatehouse /data
COPY --from=build --chown=gatehouse:gatehouse /app/.next/standalone ./
COPY --from=build --chown=gatehouse:gatehouse /app/.next/static ./.next/static
COPY --from=build --chown=gatehouse:gatehouse /app/public ./public
USER gatehouse
EXPOSE 3000
VOLUME ["/data"]
# Ready, not just alive: the store answers (a native module built for another Node.js fails here) and
# Identity Center is reachable. On the port the server listens on: PORT may be set when the container starts.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT || 3000}/api/ready`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "server.js"]
