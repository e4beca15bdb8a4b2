# isms-site in a container: a static (musl) binary on distroless/static,
# run as the image's non-root user. The default theme is built into the
# binary, so the image needs nothing else. See docs/container.md.
#
#   docker build --build-arg ISMS_SITE_COMMIT="$(git rev-parse --short=12 HEAD)" -t isms-site .
#   docker run --rm --user "$(id -u):$(id -g)" -v "$PWD:/site" isms-site build
#
# The second line builds ./content into ./output, like `isms-site build`
# run in the register's folder.

# Any Rust at or above rust-version in Cargo.toml; pin a digest for
# repeatable images (docs/container.md).
ARG RUST_IMAGE=rust:1-alpine
ARG RUNTIME_IMAGE=gcr.io/distroless/static-debian12:nonroot

FROM ${RUST_IMAGE} AS build
# musl-dev: the C runtime the static binary links against.
RUN apk add --no-cache musl-dev
WORKDIR /src
# Dependencies first, so a change to the sources reuses the downloaded crates.
COPY Cargo.toml Cargo.lock ./
RUN mkdir src && echo 'fn main() {}' > src/main.rs && cargo fetch --locked && rm -r src
COPY build.rs ./
COPY build build
COPY themes themes
COPY src src
# .git is not copied (.dockerignore): the commit comes in as an argument.
ARG ISMS_SITE_COMMIT=
RUN ISMS_SITE_COMMIT="${ISMS_SITE_COMMIT}" cargo build --locked --profile dist \
 && cp target/dist/isms-site /isms-site \
 && /isms-site --version

FROM ${RUNTIME_IMAGE}
COPY --from=build /isms-site /usr/local/bin/isms-site
# Run as distroless's nonroot user (65532); docs/container.md says when to
# pass --user instead.
USER 65532:65532
WORKDIR /site
ENTRYPOINT ["/usr/local/bin/isms-site"]
CMD ["--help"]
