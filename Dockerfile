# syntax=docker/dockerfile:1

# One image for every gmdesk process; the command picks which one runs:
#   node dist/apps/api/apps/api/src/main.js              REST api (applies migrations at boot)
#   node dist/apps/gateway/apps/gateway/src/main.js      socket.io gateway
#   node dist/apps/worker/apps/worker/src/main.js        background jobs
#   node dist/apps/platform/apps/platform/src/main.js    all three in one process
# The image carries no PostgreSQL binaries: set DATABASE_URL (see docker-compose.yml).

# Node 22 LTS: argon2's prebuilt binary targets N-API 10 (Node >= 22.14), so no compiler is needed.
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: the build needs no native addon, and none may run code at install time.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY nest-cli.json tsconfig.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

FROM ${NODE_IMAGE} AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json ./
# --omit=optional leaves out the embedded-postgres binaries (about 60 MB per platform): containers
# always use DATABASE_URL. argon2 loads its prebuilt binary without an install script.
RUN npm ci --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000
WORKDIR /app
COPY package.json ./
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "dist/apps/api/apps/api/src/main.js"]
