# Debrief's image: `docker build -t debrief .` (README: "Deploying to Kubernetes").
# Two stages: the first installs everything and compiles TypeScript, the second holds only the
# production dependencies, the compiled app, and the sources the migration Job runs with tsx.
ARG NODE_IMAGE=node:20-alpine

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: no dependency may download anything at install time; the one script Debrief
# needs, generating the Prisma client (offline, see scripts/prisma-generate.js), runs below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN npm run db:generate
COPY src ./src
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false
WORKDIR /app
COPY package.json package-lock.json ./
# The Prisma CLI (a dependency for `npm install`'s client generation) is not used at run time:
# the client is generated above and migrations run on the WebAssembly schema engine. Dropping
# it, with Prisma Studio and its React, halves the image's node_modules (about 410 to 190 MB).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm rm --no-save --omit=dev --ignore-scripts --no-audit --no-fund prisma \
 && npm cache clean --force
COPY prisma ./prisma
# Read at run time: the bot scopes an OAuth install asks for.
COPY slack-manifest.yml tsconfig.json ./
# The TypeScript sources, with the generated Prisma client, for `npm run db:migrate:deploy`
# (tsx is a production dependency); the app itself runs compiled.
COPY src ./src
COPY --from=build /app/src/generated ./src/generated
COPY --from=build /app/dist ./dist
# The image's "node" user, by number so Kubernetes' runAsNonRoot can check it is not root.
USER 1000:1000
EXPOSE 3000
# Node itself, with no npm or shell in between, so SIGTERM reaches Debrief's graceful shutdown.
CMD ["node", "dist/src/main.js"]
