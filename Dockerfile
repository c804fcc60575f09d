# syntax=docker/dockerfile:1
# Plume images. Targets:
#   cpu            the CPU worker / CLI / dashboard image:
#                    docker build --target cpu -t plume:0.1.0 .
#   gpu            the GPU worker image on a CUDA base:
#                    docker build --target gpu -t plume:0.1.0-gpu .
# Both run the scripts setup and CI run (infra/build-app.sh, infra/native-tensorflow/build-binding.sh):
# CI exercises the CPU target's steps without a container runtime (test/infra/build-app.test.ts).
# The GPU target has never been built or run here (no GPU and no container runtime on this
# project's machines): treat it as a starting point and test it on a GPU node.
# Run time: compiled JavaScript only (no TypeScript compiler or loader), non-root (uid 10001),
# read-only root filesystem friendly (state in /var/lib/plume, temp in /tmp), health endpoints on
# the worker's metrics port (/healthz, /readyz) and the dashboard's /api/health.

ARG NODE_VERSION=20

# ---- build: compile, production dependencies, native TensorFlow (CPU) -----------------------
FROM node:${NODE_VERSION}-bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip g++ make \
 && rm -rf /var/lib/apt/lists/*
ENV PLUME_HOME=/opt/plume
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN bash infra/build-app.sh /app cpu

# ---- cpu: the worker / CLI / dashboard image -------------------------------------------------
FROM node:${NODE_VERSION}-bookworm-slim AS cpu
RUN groupadd --gid 10001 plume && useradd --uid 10001 --gid plume --home-dir /var/lib/plume --create-home plume
COPY --from=build /opt/plume/tfjs-native /opt/plume/tfjs-native
COPY --from=build /app /app
ENV NODE_ENV=production \
    PLUME_HOME=/opt/plume \
    PLUME_STATE_DIR=/var/lib/plume/state
WORKDIR /var/lib/plume
USER 10001:10001
EXPOSE 9464 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/plume.mjs"]
CMD ["worker", "--queue", "cpu", "--metrics-host", "0.0.0.0"]

# ---- gpu: UNTESTED here (no GPU, no container runtime) ---------------------------------------
# CUDA base with Node copied in; build-binding.sh gpu builds @tensorflow/tfjs-node-gpu against the
# CUDA-enabled TensorFlow wheel and NVIDIA's CUDA/cuDNN wheels from PyPI. The host needs the NVIDIA
# driver and container toolkit; the pod asks for nvidia.com/gpu (see infra/helm/plume).
FROM node:${NODE_VERSION}-bookworm-slim AS node-runtime

FROM nvidia/cuda:12.5.1-base-ubuntu22.04 AS build-gpu
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-pip g++ make ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=node-runtime /usr/local/bin/node /usr/local/bin/node
COPY --from=node-runtime /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
 && ln -s /usr/local/lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
ENV PLUME_HOME=/opt/plume
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN bash infra/build-app.sh /app gpu

FROM nvidia/cuda:12.5.1-base-ubuntu22.04 AS gpu
COPY --from=node-runtime /usr/local/bin/node /usr/local/bin/node
RUN groupadd --gid 10001 plume && useradd --uid 10001 --gid plume --home-dir /var/lib/plume --create-home plume
COPY --from=build-gpu /opt/plume/tfjs-native /opt/plume/tfjs-native
COPY --from=build-gpu /app /app
ENV NODE_ENV=production \
    PLUME_HOME=/opt/plume \
    PLUME_STATE_DIR=/var/lib/plume/state \
    PLUME_BACKEND=tensorflow-gpu
WORKDIR /var/lib/plume
USER 10001:10001
EXPOSE 9464
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:9464/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "/app/bin/plume.mjs"]
CMD ["worker", "--queue", "gpu", "--metrics-host", "0.0.0.0"]
