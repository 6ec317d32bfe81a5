# Builds the server and the web app into a small image. Used by docker-compose.yml.
FROM rust:1.95-bookworm AS build
WORKDIR /src
RUN rustup target add wasm32-unknown-unknown
COPY . .
RUN bash scripts/build-frontend.sh \
 && cargo build --release -p msp-api --bin msp-onboarding --no-default-features

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/* \
 && useradd --system --home /app msp && mkdir -p /data && chown msp /data
COPY --from=build /src/target/release/msp-onboarding /usr/local/bin/msp-onboarding
COPY --from=build /src/frontend/dist /app/web
USER msp
ENV APP_BIND=0.0.0.0:8080 APP_WEB_DIR=/app/web APP_DATA_DIR=/data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["msp-onboarding"]
CMD ["serve"]
