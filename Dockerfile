# firedrill as a container: used by docker-compose.yml (demo), the CI recipes and the scheduled load task on ECS.
# The emulator runs in its own container, so this image needs Node only (no Python, no moto).

# Build stage: every dependency, the TypeScript compiled into dist/.
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies and the build only, run as the image's unprivileged `node` user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production FIREDRILL_REPORT_DIR=/app/reports
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
# --ignore-scripts: the package's own prepack (a build) must not run here, nor any dependency's install script.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
RUN mkdir -p /app/reports && chown node:node /app/reports
USER node
# run --serve (the live drill page and /metrics) listens here.
EXPOSE 8080
# The command itself, not `node dist/cli/bin.js`: its sh launcher caps the CLI thread's young generation (README,
# "Installed …"); sh execs node, so node is still the container's first process. `-e NODE_OPTIONS=…` comes after it.
ENTRYPOINT ["/app/dist/cli/bin.js"]
# A catalog drill by its id (`firedrill list`), or a mounted scenario file by its path.
CMD ["run", "bad-day"]
