# One image for the operator and the runtime: `weir operator`, `weir connect-distributed …`.
# Build stage: install, compile TypeScript to dist/, keep production dependencies only.
FROM node:24-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY runtime ./runtime
COPY operator ./operator
COPY bin ./bin
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev --ignore-scripts

# Run stage: no shell, no package manager, non-root; the root filesystem can be read-only (/tmp is
# the only place Weir writes, mounted as an emptyDir by the operator and the Helm chart). dist/ holds
# the compiled runtime and operator with the JSON they import (runtime/rest/openapi.json).
FROM gcr.io/distroless/nodejs24-debian12:nonroot
ARG WEIR_COMMIT=unknown
LABEL org.opencontainers.image.title="weir" \
      org.opencontainers.image.description="Kafka Connect on Kubernetes: the Weir worker and operator" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.revision="${WEIR_COMMIT}"
WORKDIR /app
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY --from=build /src/bin ./bin
ENV NODE_ENV=production WEIR_COMMIT=${WEIR_COMMIT} WEIR_LOG_FORMAT=json \
    NODE_OPTIONS=--max-semi-space-size=8
# distroless's nonroot user, numeric so the kubelet can check runAsNonRoot without /etc/passwd.
USER 65532:65532
EXPOSE 8083 8080
ENTRYPOINT ["/nodejs/bin/node", "/app/bin/weir.js"]
