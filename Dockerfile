# One image for every Waypoint service; docker-compose.yml picks the command (collector, dashboard, scheduler, migrate).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
ENV WAYPOINT_DATA_DIR=/var/lib/waypoint
VOLUME ["/var/lib/waypoint"]
ENTRYPOINT ["node", "bin/waypoint.mjs"]
