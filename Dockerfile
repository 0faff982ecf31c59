# firedrill as a container: used by docker-compose.yml (demo) and for cron-driven load on ECS/EC2.
# The emulator runs in its own container, so this image needs Node only (no Python, no moto).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY . .
ENV FIREDRILL_REPORT_DIR=/app/reports
# run --serve (the live drill page and /metrics) listens here.
EXPOSE 8080
ENTRYPOINT ["node", "bin/firedrill.js"]
CMD ["run", "scenarios/bad-day.yaml"]
