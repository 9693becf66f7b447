# Statbank in a container: Debian (bookworm) with Node 20. The build stage compiles the server and the web app
# (`npm ci && npm run build`); the runtime stage keeps production dependencies, dist/ and web/dist/ only.
#
#   docker build -t statbank .
#   docker run -p 8080:8080 -v statbank-data:/data statbank                      # SQLite in the volume
#   docker run -p 8080:8080 -e STATBANK_DB=postgres://user:pw@db/statbank statbank
#   docker run --rm -v statbank-data:/data -v "$PWD/px:/px:ro" statbank import /px   # import a PX folder tree
#
# See docs/DEPLOYMENT.md for sizing, workers, the load balancer and the CDN.

FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 downloads a prebuilt binary; these tools build it from source when none fits
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci
# only what the build reads (a host's node_modules, dist or databases never enter the image)
COPY tsconfig.json ./
COPY src ./src
COPY web ./web
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    STATBANK_DB=/data/statbank.db \
    PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data \
 && ln -s /app/dist/cli/main.js /usr/local/bin/statbank && chmod +x /app/dist/cli/main.js
USER node
VOLUME ["/data"]
EXPOSE 8080
# `docker stop` sends SIGTERM: the supervisor passes it to its workers, which close the store; a worker that dies
# is restarted (STATBANK_WORKERS, default 1; "auto" = one per core the container sees)
ENTRYPOINT ["node", "/app/dist/cli/main.js"]
CMD ["serve", "--host", "0.0.0.0"]
