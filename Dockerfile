# syntax=docker/dockerfile:1
#
# MWRASP container image: two stages.
#   build:   the official Swift image on Debian 12 (bookworm). `swift:6.3-bookworm` is the Swift
#            6.3 release line, the same as the project's toolchain (6.3.1); Package.swift needs
#            swift-tools-version 6.2, so `--build-arg SWIFT_IMAGE=swift:6.2-bookworm` also works.
#            (Ubuntu alternative: swift:6.3-noble with ubuntu:noble below.)
#   runtime: debian:bookworm-slim, the same Debian release as the build stage, with the shared
#            libraries the binary links (OpenSSL 3, zlib, SQLite). The Swift runtime and
#            Foundation are linked statically (--static-swift-stdlib).
#
#   docker build -t mwrasp .
#   docker run -p 8080:8080 -v mwrasp-data:/var/lib/mwrasp -e MWRASP_ADMIN_TOKEN=... mwrasp
#
# See deploy/README.md.

ARG SWIFT_IMAGE=swift:6.3-bookworm
ARG RUNTIME_IMAGE=debian:bookworm-slim

# ---------------------------------------------------------------------------------------------
FROM ${SWIFT_IMAGE} AS build

# Unpinned on purpose: Debian stable only ships security and bug fixes within a release.
# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        libssl-dev zlib1g-dev libsqlite3-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build

# Dependencies first, in their own layer: it is rebuilt only when the manifest (or a committed
# Package.resolved) changes.
COPY ./Package.* ./
RUN if [ -f Package.resolved ]; then swift package resolve --force-resolved-versions; \
    else swift package resolve; fi

# Then the sources (the whole tree, less what .dockerignore leaves out: SwiftPM validates every
# target of the manifest, tests and fixtures included, even when building one product).
COPY . .

# Build, then stage what the runtime needs in /staging: the executable, the resource bundles of
# any target (none today; they must sit next to the executable), and Swift's crash backtracer
# so that a crash logs a readable stack trace.
RUN swift build -c release --product mwrasp --static-swift-stdlib \
    && bin="$(swift build -c release --show-bin-path)" \
    && mkdir -p /staging \
    && cp "$bin/mwrasp" /staging/ \
    && find -L "$bin/" -maxdepth 1 -regex '.*\.resources$' -exec cp -Ra {} /staging/ \; \
    && cp /usr/libexec/swift/linux/swift-backtrace-static /staging/

# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS runtime

# hadolint ignore=DL3008
RUN export DEBIAN_FRONTEND=noninteractive DEBCONF_NONINTERACTIVE_SEEN=true \
    && apt-get -q update \
    && apt-get -q install -y --no-install-recommends \
        libssl3 zlib1g libsqlite3-0 libstdc++6 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/*

# Unprivileged user with a fixed uid/gid (10001) so volume ownership is predictable.
RUN groupadd --system --gid 10001 mwrasp \
    && useradd --system --uid 10001 --gid mwrasp --home-dir /var/lib/mwrasp --no-create-home \
        --shell /usr/sbin/nologin mwrasp \
    && install -d -o mwrasp -g mwrasp -m 0700 /var/lib/mwrasp

COPY --from=build /staging/ /usr/local/bin/

ENV MWRASP_LISTEN=0.0.0.0:8080 \
    MWRASP_DATA_DIR=/var/lib/mwrasp \
    SWIFT_BACKTRACE=enable=yes,sanitize=yes,threads=all,images=all,interactive=no,swift-backtrace=/usr/local/bin/swift-backtrace-static

VOLUME ["/var/lib/mwrasp"]
WORKDIR /var/lib/mwrasp

# 8080: HTTP. 8443: HTTPS when MWRASP_TLS_LISTEN=0.0.0.0:8443, MWRASP_TLS_CERT and
# MWRASP_TLS_KEY are set (mount the PEM files read-only, e.g. under /etc/mwrasp/tls).
EXPOSE 8080 8443

# The mwrasp user, numerically, so that Kubernetes' runAsNonRoot can verify it.
USER 10001:10001

# No curl in the image: the binary probes itself. The URL must match MWRASP_LISTEN's port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
    CMD ["/usr/local/bin/mwrasp", "healthcheck", "--url", "http://127.0.0.1:8080/healthz"]

# SIGTERM: stop accepting, finish in-flight requests, flush the store (graceful, exit 0).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/mwrasp"]
CMD ["serve"]
